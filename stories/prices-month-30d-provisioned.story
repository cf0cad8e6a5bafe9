# Prices: a 30-day month of 100 RCU and 100 WCU, as AWS's examples count it
# Source: REFERENCE.md prices; AWS "Amazon DynamoDB pricing for provisioned capacity" (us-east-1, worked example, a 30-day month)
# Published: 100 RCU and 100 WCU provisioned for a month of 720 hours cost $9.36 for reads and $46.80 for writes, $56.16 in all, storage aside.
# Expect: a month of 720 hours, 30 days
# Expect: = \$9\.36$
# Expect: = \$46\.80$
# Expect: total \$56\.16 for 720 h$
$ ddbsim calc cost --rcu 100 --wcu 100 --month 30d
----
prices: us-east-1, standard table class, from the price file (scenarios/prices/prices.yaml); 720 h; a month of 720 hours, 30 days
  read capacity   100 RCU x 720 h = 72,000 RCU-hours x $0.00013 = $9.36
  write capacity  100 WCU x 720 h = 72,000 WCU-hours x $0.00065 = $46.80
  total $56.16 for 720 h
break-even: an RCU-hour ($0.00013) serves up to 3,600 reads, which on demand cost 3,600 x $0.000000125 = $0.00045; provisioned is cheaper above $0.00013 / $0.00045 = 28.9% average utilisation
break-even for writes: a WCU-hour ($0.00065) against 3,600 x $0.000000625 = $0.00225: provisioned is cheaper above 28.9%
exit 0
