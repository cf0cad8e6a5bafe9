# Prices: the same capacity over ddbsim's default 730-hour month
# Source: REFERENCE.md prices; AWS "Amazon DynamoDB pricing for provisioned capacity" (us-east-1, worked example); docs/model.md "Month length"
# Published: at $0.00013 an RCU-hour and $0.00065 a WCU-hour, the example's 100 RCU and 100 WCU cost $56.16 for 720 hours; prorated over the average month of 730 hours (365 days / 12) that is $56.94.
# Expect: a month of 730 hours, 365 days / 12
# Expect: total \$56\.94 for 730 h$
$ ddbsim calc cost --rcu 100 --wcu 100
----
prices: us-east-1, standard table class, from the price file (scenarios/prices/prices.yaml); 730 h; a month of 730 hours, 365 days / 12
  read capacity   100 RCU x 730 h = 73,000 RCU-hours x $0.00013 = $9.49
  write capacity  100 WCU x 730 h = 73,000 WCU-hours x $0.00065 = $47.45
  total $56.94 for 730 h
break-even: an RCU-hour ($0.00013) serves up to 3,600 reads, which on demand cost 3,600 x $0.000000125 = $0.00045; provisioned is cheaper above $0.00013 / $0.00045 = 28.9% average utilisation
break-even for writes: a WCU-hour ($0.00065) against 3,600 x $0.000000625 = $0.00225: provisioned is cheaper above 28.9%
exit 0
