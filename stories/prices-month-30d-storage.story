# Prices: storage above the free 25 GB over a 30-day month
# Source: REFERENCE.md prices; AWS "Amazon DynamoDB pricing" (us-east-1, storage and free tier; the pricing examples' 30-day month)
# Published: the first 25 GB stored each month are free and each further GB-month costs $0.25, so 27 GB kept all month bills 2 GB-months, $0.50.
# Expect: 27 GB x 1 month = 27 GB-months - 25 free\) x \$0\.25 = \$0\.500
# Expect: a month of 720 hours, 30 days
$ ddbsim calc cost --storage 27GB --free-tier --month 30d
----
prices: us-east-1, standard table class, from the price file (scenarios/prices/prices.yaml); 720 h; a month of 720 hours, 30 days
  storage         (27 GB x 1 month = 27 GB-months - 25 free) x $0.25 = $0.500
  total $0.500 for 720 h
break-even: an RCU-hour ($0.00013) serves up to 3,600 reads, which on demand cost 3,600 x $0.000000125 = $0.00045; provisioned is cheaper above $0.00013 / $0.00045 = 28.9% average utilisation
break-even for writes: a WCU-hour ($0.00065) against 3,600 x $0.000000625 = $0.00225: provisioned is cheaper above 28.9%
exit 0
