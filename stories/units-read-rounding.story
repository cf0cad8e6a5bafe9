# Units: reads round up to 4 KB before the consistency factor applies
# Source: REFERENCE.md units; AWS DynamoDB Developer Guide, "Read/write capacity unit consumption" (read-write-operations.html)
# Published: an 80 KB item read with eventual consistency costs 10 read units: 80 KB is 20 units of 4 KB, halved.
# Expect: ^80 KB = 20 units / 2 = 10 units x 1/s = 10 RCU$
$ ddbsim calc rcu --item-size 80KB --consistency eventual --rate 1/s
----
80 KB = 20 units / 2 = 10 units x 1/s = 10 RCU
exit 0
