# On-demand: a table switched from provisioned serves at once about what it had provisioned
# Source: REFERENCE.md ondemand; AWS knowledge centre, "Why is my on-demand DynamoDB table being throttled?", and AWS DynamoDB Developer Guide, "Considerations when switching capacity modes"
# Published: a table switched from provisioned to on-demand starts with a previous peak of half the highest capacity it was provisioned with, so a table once at 8,000 WCU serves about 8,000 write units a second at once (twice the previous peak of 4,000), not 16,000.
# Expect: \b(4[6-9]|5[0-4])\.\d+%\)\s+0 errors
$ ddbsim run story.yaml
version: 1
name: ondemand-switch-from-provisioned
description: An 8,000 WCU table switched to on-demand, then offered 16,000 write units a second (1,600 writes of 10 KB) for 20 seconds.
duration: 3m20s
tables:
  - name: t
    partition_key: id
    mode: provisioned
    read_capacity: 100
    write_capacity: 8000
    capacity_changes:
      - {at: 1s, mode: on-demand}
    items: {count: 10k, size: 10KB}
workloads:
  - name: writers
    table: t
    stages: [{for: 3m, rate: 0/s}, {for: 20s, rate: 1600/s}]
    shape: step
    arrival: constant
    mix: {put: 100%}
    keys: {distribution: uniform}
    item_size: 10KB
client:
  retry: none
----
ondemand-switch-from-provisioned  seed 1  duration 3m20s

requests    31,999 total   16,799 ok (52.50%)   15,200 throttled (47.50%)   0 errors (0%)
            throttle events 15,200   retries 0
latency     p50 2.04 ms   p90 5.61 ms   p99 10.7 ms   p99.9 16.5 ms   max 27.4 ms   mean 2.69 ms

operation   count  p50 ms  p90 ms  p99 ms  p99.9 ms  max ms  mean ms
put        31,999    2.04    5.61    10.7      16.5    27.4     2.69

table  mode       partitions  RCU/s mean  peak  provisioned  WCU/s mean    peak  provisioned  throttled
t      on-demand          18           0     0          100         840  15,990        8,000     47.50%

throttles   t  TableWriteKeyRangeThroughputExceeded  15,200

cost        $0.395 for the run, $5,185.13 a month at this rate   (read capacity $0.000722, write capacity $0.289, write requests $0.105, storage $0.000002)

WARNING     gave up 15,200 requests (47.50%) and no given_up threshold allows it
exit 0
