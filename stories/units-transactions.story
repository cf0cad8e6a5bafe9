# Units: a transactional write costs two write units per kilobyte
# Source: REFERENCE.md units; AWS DynamoDB Developer Guide, "Read/write capacity unit consumption" (transactional read and write requests)
# Published: transactional writes need 2 write units to write an item of up to 1 KB: 20 transactional writes a second of a 2.5 KB item need 120 write units.
# Expect: = 120 WCU$
$ ddbsim calc wcu --item-size 2.5KB --rate 20/s --transactional
----
2.5 KB rounds up to 3 KB = 3 units x 2 = 6 units x 20/s = 120 WCU
exit 0
