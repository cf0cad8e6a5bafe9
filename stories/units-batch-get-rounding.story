# Units: BatchGetItem rounds each item, Query rounds the sum once
# Source: REFERENCE.md units; AWS DynamoDB Developer Guide, "Read/write capacity unit consumption" (BatchGetItem and Query)
# Published: BatchGetItem rounds each item up to 4 KB before summing, while a Query sums the items' sizes and rounds once: three items of 6 KB, 1 KB and 2 KB cost 4 read units by BatchGetItem (2 + 1 + 1) and 3 by Query (9 KB rounds up to 12 KB), strongly consistent.
# Expect: \b4 RCU\b
# Expect: rounds up to 12 KB = 3 units\b
$ ddbsim calc rcu --item-size 6KB,1KB,2KB --op batch_get --rate 1/s --consistency strong
----
BatchGetItem rounds each item, then sums: (6 KB rounds up to 8 KB = 2 units) + (1 KB rounds up to 4 KB = 1 unit) + (2 KB rounds up to 4 KB = 1 unit) = 4 units x 1/s = 4 RCU
a Query reading the same items (one item collection) sums, then rounds once: 6 KB + 1 KB + 2 KB = 9 KB rounds up to 12 KB = 3 units, 1 unit fewer
exit 0
