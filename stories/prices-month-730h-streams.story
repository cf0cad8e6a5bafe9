# Prices: the same streams reads for 30 days of a 730-hour month
# Source: REFERENCE.md streams, prices; AWS "Amazon DynamoDB pricing" (us-east-1, DynamoDB Streams); docs/model.md "Month length"
# Published: 2.6 million streams reads in 30 days, with the 2.5 million free a month prorated over 730 hours (2,465,753 free), cost $0.03 where the 30-day examples say $0.02.
# Expect: \(2,600,000 stream read request units - 2,465,753\.42 free\) x \$0\.0000002 = \$0\.0268
# Expect: a month of 730 hours, 365 days / 12
$ ddbsim calc cost --stream-reads 2.6M --free-tier --hours 720
----
prices: us-east-1, standard table class, from the price file (scenarios/prices/prices.yaml); 720 h; a month of 730 hours, 365 days / 12
  stream reads    (2,600,000 stream read request units - 2,465,753.42 free) x $0.0000002 = $0.0268
  total $0.0268 for 720 h ($0.0272 a month of 730 h)
break-even: an RCU-hour ($0.00013) serves up to 3,600 reads, which on demand cost 3,600 x $0.000000125 = $0.00045; provisioned is cheaper above $0.00013 / $0.00045 = 28.9% average utilisation
break-even for writes: a WCU-hour ($0.00065) against 3,600 x $0.000000625 = $0.00225: provisioned is cheaper above 28.9%
exit 0
