# On-demand: a table grows to the peak it was offered, then absorbs twice that
# Source: REFERENCE.md ondemand; AWS DynamoDB Developer Guide, "On-demand capacity mode" (peak traffic and scaling) and "Understanding DynamoDB warm throughput"; AWS knowledge centre, "Why is my on-demand DynamoDB table being throttled?"; Elhemali et al., USENIX ATC 2022 (on-demand tables and splits for consumption)
# Published: traffic beyond twice a table's previous peak within 30 minutes may throttle while the service adds capacity for the new peak; a new table offered 8,000 write units a second against its 4,000 throttles for about 30 minutes and then serves a step to 16,000, twice the new peak, at once.
# Expect: ^t\s+on-demand\s+\d+\s+0\s+0\s+-\s+[\d,]+\s+16,000\s+-\s
# Expect: TableWriteKeyRangeThroughputExceeded\s+7[0-9]\d,\d{3}\s*$
$ ddbsim run story.yaml
version: 1
name: ondemand-growth-offered
description: A new on-demand table offered 8,000 write units a second (800 puts of 10 KB) for 35 minutes, then 16,000 for 5 minutes.
duration: 40m
tables:
  - name: t
    partition_key: id
    mode: on-demand
workloads:
  - {name: writers, table: t, rate: 800/s, arrival: constant, mix: {insert: 100%}, keys: {distribution: uniform, count: 1M}, item_size: 10KB, spikes: [{at: 35m, for: 5m, multiplier: 2}]}
client:
  retry: none
----
ondemand-growth-offered  seed 1  duration 40m0s

requests    2,159,999 total   1,415,999 ok (65.56%)   744,000 throttled (34.44%)   0 errors (0%)
            throttle events 744,000   retries 0
latency     p50 2.52 ms   p90 6.03 ms   p99 11.0 ms   p99.9 16.8 ms   max 40.6 ms   mean 3.05 ms

operation      count  p50 ms  p90 ms  p99 ms  p99.9 ms  max ms  mean ms
put        2,159,999    2.52    6.03    11.0      16.8    40.6     3.05

table  mode       partitions  RCU/s mean  peak  provisioned  WCU/s mean    peak  provisioned  throttled
t      on-demand          32           0     0            -       5,900  16,000            -     34.44%

throttles   t  TableWriteKeyRangeThroughputExceeded  744,000

cost        $8.85 for the run, $9,691.99 a month at this rate   (write requests $8.85, storage $0.00114)

WARNING     gave up 744,000 requests (34.44%) and no given_up threshold allows it
exit 0
