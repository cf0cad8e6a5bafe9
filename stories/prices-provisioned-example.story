# Prices: 100 RCU and 100 WCU provisioned for 720 hours
# Source: REFERENCE.md prices; AWS "Amazon DynamoDB pricing for provisioned capacity" (us-east-1, worked example)
# Published: 100 RCU and 100 WCU provisioned for 720 hours cost $9.36 for reads and $46.80 for writes, $56.16 in all, storage aside.
# Expect: = \$9\.36$
# Expect: = \$46\.80$
# Expect: total \$56\.16 for 720 h
$ ddbsim calc cost --rcu 100 --wcu 100 --hours 720
----
prices: us-east-1, standard table class, from the price file (scenarios/prices/prices.yaml); 720 h; a month of 730 hours, 365 days / 12
  read capacity   100 RCU x 720 h = 72,000 RCU-hours x $0.00013 = $9.36
  write capacity  100 WCU x 720 h = 72,000 WCU-hours x $0.00065 = $46.80
  total $56.16 for 720 h ($56.94 a month of 730 h)
break-even: an RCU-hour ($0.00013) serves up to 3,600 reads, which on demand cost 3,600 x $0.000000125 = $0.00045; provisioned is cheaper above $0.00013 / $0.00045 = 28.9% average utilisation
break-even for writes: a WCU-hour ($0.00065) against 3,600 x $0.000000625 = $0.00225: provisioned is cheaper above 28.9%
exit 0
