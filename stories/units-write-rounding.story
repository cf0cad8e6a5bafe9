# Units: writes round up to a whole kilobyte
# Source: REFERENCE.md units; AWS DynamoDB Developer Guide, "Read/write capacity unit consumption" (read-write-operations.html)
# Published: a write unit writes up to 1 KB a second, so 20 writes a second of a 2.5 KB item need 60 write units (2.5 KB rounds up to 3 KB).
# Expect: = 60 WCU$
$ ddbsim calc wcu --item-size 2.5KB --rate 20/s
----
2.5 KB rounds up to 3 KB = 3 units x 20/s = 60 WCU
exit 0
