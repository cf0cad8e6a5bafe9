# Prices: the same storage for 30 days of a 730-hour month
# Source: REFERENCE.md prices; AWS "Amazon DynamoDB pricing" (us-east-1, storage and free tier); docs/model.md "Month length"
# Published: 27 GB for 30 days with 25 GB free a month, both prorated over a 730-hour month, bills 26.63 - 24.66 = 1.97 GB-months, $0.49 where the 30-day examples say $0.50.
# Expect: 26\.63 GB-months - 24\.66 free\) x \$0\.25 = \$0\.493
# Expect: a month of 730 hours, 365 days / 12
$ ddbsim calc cost --storage 27GB --free-tier --hours 720
----
prices: us-east-1, standard table class, from the price file (scenarios/prices/prices.yaml); 720 h; a month of 730 hours, 365 days / 12
  storage         (27 GB x 720/730 h = 26.63 GB-months - 24.66 free) x $0.25 = $0.493
  total $0.493 for 720 h ($0.500 a month of 730 h)
break-even: an RCU-hour ($0.00013) serves up to 3,600 reads, which on demand cost 3,600 x $0.000000125 = $0.00045; provisioned is cheaper above $0.00013 / $0.00045 = 28.9% average utilisation
break-even for writes: a WCU-hour ($0.00065) against 3,600 x $0.000000625 = $0.00225: provisioned is cheaper above 28.9%
exit 0
