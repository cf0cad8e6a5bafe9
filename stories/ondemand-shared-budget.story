# On-demand: a new table's reads and writes share one instant budget
# Source: REFERENCE.md ondemand; AWS DynamoDB Developer Guide, "On-demand capacity mode" (initial throughput) and "Understanding DynamoDB warm throughput"
# Published: a new on-demand table serves up to 4,000 write or 12,000 read request units a second at once, or a linear combination of the two; reads of 9,000 units a second (18,000 eventually consistent 4 KB gets) use three quarters of it and leave 1,000 write units a second, so of 3,000 puts a second about 2,000 are refused.
# Expect: ^t\s+on-demand\s+\d+\s+9,000\s+9,000\s+-\s+1,0[0-6]\d\s
$ ddbsim run story.yaml
version: 1
name: ondemand-shared-budget
description: A new on-demand table offered 18,000 eventually consistent 4 KB gets and 3,000 puts of 1 KB a second for a minute.
duration: 1m
tables:
  - name: t
    partition_key: id
    mode: on-demand
    items: {count: 10k, size: 4KB}
workloads:
  - {name: readers, table: t, rate: 18000/s, arrival: constant, mix: {get: 100%}, keys: {distribution: uniform}, item_size: 4KB, consistency: eventual}
  - {name: writers, table: t, rate: 3000/s, arrival: constant, mix: {insert: 100%}, keys: {distribution: uniform}, item_size: 1KB}
client:
  retry: none
----
ondemand-shared-budget  seed 1  duration 1m0s

requests    1,259,998 total   1,143,997 ok (90.79%)   116,001 throttled (9.21%)   0 errors (0%)
            throttle events 116,001   retries 0
latency     p50 2.39 ms   p90 5.30 ms   p99 9.99 ms   p99.9 15.6 ms   max 39.4 ms   mean 2.87 ms

operation      count  p50 ms  p90 ms  p99 ms  p99.9 ms  max ms  mean ms
get        1,079,999    2.50    5.36    10.0      15.7    39.4     2.99
put          179,999    1.48    4.81    9.76      15.2    35.1     2.20

table  mode       partitions  RCU/s mean   peak  provisioned  WCU/s mean   peak  provisioned  throttled
t      on-demand           8       9,000  9,000            -       1,067  3,000            -      9.21%

throttles   t  TableReadKeyRangeThroughputExceeded         1
               TableWriteKeyRangeThroughputExceeded  116,000

cost        $0.107 for the run, $4,708.49 a month at this rate   (read requests $0.0675, write requests $0.0400)
exit 0
