# On-demand: a new table's first second serves 4,000 write units, not twice that
# Source: REFERENCE.md ondemand and burst; AWS DynamoDB Developer Guide, "On-demand capacity mode" (initial throughput) and "Burst and adaptive capacity"
# Published: a newly created on-demand table serves up to 4,000 write request units a second at once; burst is capacity left unused for up to 300 seconds, which a new table has not yet accrued, so its busiest second is 4,000 write units even under 8,000 puts a second.
# Expect: ^t\s+on-demand\s+\d+\s+0\s+0\s+-\s+[\d,]+\s+4,000\s+-\s
$ ddbsim run story.yaml
version: 1
name: ondemand-first-second
description: A new on-demand table offered 8,000 puts of 1 KB a second for ten seconds.
duration: 10s
tables:
  - name: t
    partition_key: id
    mode: on-demand
workloads:
  - {name: writers, table: t, rate: 8000/s, arrival: constant, mix: {insert: 100%}, keys: {distribution: uniform, count: 1M}, item_size: 1KB}
client:
  retry: none
----
ondemand-first-second  seed 1  duration 10s

requests    79,999 total   39,999 ok (50.00%)   40,000 throttled (50.00%)   0 errors (0%)
            throttle events 40,000   retries 0
latency     p50 1.95 ms   p90 5.53 ms   p99 10.6 ms   p99.9 16.5 ms   max 39.6 ms   mean 2.62 ms

operation   count  p50 ms  p90 ms  p99 ms  p99.9 ms  max ms  mean ms
put        79,999    1.95    5.53    10.6      16.5    39.6     2.62

table  mode       partitions  RCU/s mean  peak  provisioned  WCU/s mean   peak  provisioned  throttled
t      on-demand           8           0     0            -       4,000  4,000            -     50.00%

throttles   t  TableWriteKeyRangeThroughputExceeded  40,000

cost        $0.0250 for the run, $6,569.84 a month at this rate   (write requests $0.0250)

WARNING     gave up 40,000 requests (50.00%) and no given_up threshold allows it
exit 0
