# Partitions: one partition key serves 3,000 read units a second, eventually consistent reads included
# Source: REFERENCE.md partitions; AWS DynamoDB Developer Guide, "Burst and adaptive capacity" and "Designing partition keys to distribute your workload"; set against AWS Database Blog, "Scaling DynamoDB: How partitions, hot keys, and split for heat impact performance (Part 2: Querying)"
# Published: a partition serves at most 3,000 read units a second, so one hot key takes 6,000 eventually consistent 4 KB reads a second; the blog measured 4,500 read units (9,000 such reads) on one key, which ddbsim reproduces only under `service: {eventual_read_ceiling: 4500}` (partitions-hot-key-eventual-reads-blog.story; docs/model.md, "Hot partition key under eventually consistent reads").
# Expect: ^t\s+on-demand\s+\d+\s+3,000\s+3,000\s+-\s
$ ddbsim run story.yaml
version: 1
name: partitions-hot-key-eventual-reads
description: 9,000 eventually consistent 4 KB gets a second of one item, on a new on-demand table, for two minutes.
duration: 2m
tables:
  - name: t
    partition_key: id
    mode: on-demand
    items: {count: 1, size: 4KB}
workloads:
  - {name: readers, table: t, rate: 9000/s, arrival: constant, mix: {get: 100%}, keys: {distribution: uniform}, item_size: 4KB, consistency: eventual}
client:
  retry: none
----
partitions-hot-key-eventual-reads  seed 1  duration 2m0s

requests    1,080,000 total   719,999 ok (66.67%)   360,001 throttled (33.33%)   0 errors (0%)
            throttle events 360,001   retries 0
latency     p50 1.89 ms   p90 4.67 ms   p99 9.14 ms   p99.9 14.7 ms   max 34.4 ms   mean 2.39 ms

operation      count  p50 ms  p90 ms  p99 ms  p99.9 ms  max ms  mean ms
get        1,080,000    1.89    4.67    9.14      14.7    34.4     2.39

table  mode       partitions  RCU/s mean   peak  provisioned  WCU/s mean  peak  provisioned  throttled
t      on-demand           8       3,000  3,000            -           0     0            -     33.33%

throttles   t  TableReadKeyRangeThroughputExceeded  360,001

cost        $0.0450 for the run, $985.50 a month at this rate   (read requests $0.0450)

WARNING     gave up 360,001 requests (33.33%) and no given_up threshold allows it
exit 0
