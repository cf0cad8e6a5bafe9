# Partitions: the published allocation rule takes the larger of throughput and size
# Source: REFERENCE.md partitions; AWS DynamoDB Developer Guide (Dec 2017), GuidelinesForTables.md, "Understand partition behavior"
# Published: a table is given ceil(RCU/3,000 + WCU/1,000) partitions for throughput and ceil(size/10 GB) for size, whichever is more: 5,000 RCU, 2,000 WCU and 50 GB need 4 and 5, so 5.
# Expect: ^partitions = max\(4, 5\) = 5$
$ ddbsim calc partitions --rcu 5000 --wcu 2000 --size 50GB
----
by throughput: ceil(5,000/3,000 + 2,000/1,000) = ceil(3.67) = 4
by size: ceil(50 GB / 10 GB) = ceil(5) = 5
partitions = max(4, 5) = 5
each partition gets an even share: 5,000 / 5 = 1,000 RCU and 2,000 / 5 = 400 WCU; one partition key never gets more than 3,000 RCU or 1,000 WCU a second
exit 0
