# Prices: on-demand request units since the November 2024 price cut
# Source: REFERENCE.md prices; AWS "Amazon DynamoDB pricing for on-demand capacity" (us-east-1)
# Published: a million write request units cost $0.625 and a million read request units $0.125.
# Expect: \$0\.625\b
# Expect: \$0\.125\b
$ ddbsim calc cost --reads 1000000 --writes 1000000 --hours 730
----
prices: us-east-1, standard table class, from the price file (scenarios/prices/prices.yaml); 730 h; a month of 730 hours, 365 days / 12
  read requests   1,000,000 read request units x $0.000000125 = $0.125
  write requests  1,000,000 write request units x $0.000000625 = $0.625
  total $0.750 for 730 h
break-even: an RCU-hour ($0.00013) serves up to 3,600 reads, which on demand cost 3,600 x $0.000000125 = $0.00045; provisioned is cheaper above $0.00013 / $0.00045 = 28.9% average utilisation
break-even for writes: a WCU-hour ($0.00065) against 3,600 x $0.000000625 = $0.00225: provisioned is cheaper above 28.9%
exit 0
