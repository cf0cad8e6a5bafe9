# Prices: DynamoDB Streams reads above the free 2.5 million over a 30-day month
# Source: REFERENCE.md streams, prices; AWS "Amazon DynamoDB pricing" (us-east-1, DynamoDB Streams; the pricing examples' 30-day month)
# Published: the first 2.5 million streams read request units a month are free and the rest cost $0.20 a million, so 2.6 million in a month cost $0.02.
# Expect: \(2,600,000 stream read request units - 2,500,000 free\) x \$0\.0000002 = \$0\.0200
# Expect: a month of 720 hours, 30 days
$ ddbsim calc cost --stream-reads 2.6M --free-tier --month 30d
----
prices: us-east-1, standard table class, from the price file (scenarios/prices/prices.yaml); 720 h; a month of 720 hours, 30 days
  stream reads    (2,600,000 stream read request units - 2,500,000 free) x $0.0000002 = $0.0200
  total $0.0200 for 720 h
break-even: an RCU-hour ($0.00013) serves up to 3,600 reads, which on demand cost 3,600 x $0.000000125 = $0.00045; provisioned is cheaper above $0.00013 / $0.00045 = 28.9% average utilisation
break-even for writes: a WCU-hour ($0.00065) against 3,600 x $0.000000625 = $0.00225: provisioned is cheaper above 28.9%
exit 0
