# On-demand: a new table's reads and writes share one instant budget
# Source: REFERENCE.md ondemand; AWS DynamoDB Developer Guide, "On-demand capacity mode" (initial throughput) and "Understanding DynamoDB warm throughput"
# Published: a new on-demand table serves up to 4,000 write or 12,000 read request units a second at once, or a linear combination of the two; reads of 9,000 units a second (18,000 eventually consistent 4 KB gets) use three quarters of it and leave 1,000 write units a second, so of 3,000 puts a second about 2,000 are refused.
# Expect: ^t\s+on-demand\s+\d+\s+(8,9\d\d|9,000)\s+9,000\s+-\s+(9\d\d|1,0[0-4]\d)\s
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

requests    1,259,998 total   1,134,998 ok (90.08%)   125,000 throttled (9.92%)   0 errors (0%)
            throttle events 125,000   retries 0
latency     p50 2.37 ms   p90 5.28 ms   p99 9.95 ms   p99.9 15.5 ms   max 39.4 ms   mean 2.86 ms

operation      count  p50 ms  p90 ms  p99 ms  p99.9 ms  max ms  mean ms
get        1,079,999    2.49    5.36    10.0      15.7    39.4     2.98
put          179,999    1.45    4.70    9.54      14.9    35.1     2.15

workload   requests  throttled  p50 ms  p99 ms  retries
readers   1,079,999      0.56%    2.49    10.0        0
writers     179,999     66.11%    1.45    9.54        0

table  mode       partitions  RCU/s mean   peak  provisioned  WCU/s mean   peak  provisioned  throttled
t      on-demand           8       8,950  9,000            -       1,017  2,000            -      9.92%

throttles   t  TableReadKeyRangeThroughputExceeded     6,000
               TableWriteKeyRangeThroughputExceeded  119,000

cost        $0.105 for the run, $4,609.94 a month at this rate   (read requests $0.0671, write requests $0.0381)

WARNING     gave up 125,000 requests (9.92%) and no given_up threshold allows it
exit 0
