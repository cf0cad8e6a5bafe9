# Partitions: under the blog's reading one partition key serves 4,500 read units a second of eventually consistent reads
# Source: REFERENCE.md partitions; AWS Database Blog, "Scaling DynamoDB: How partitions, hot keys, and split for heat impact performance (Part 2: Querying)", set against AWS DynamoDB Developer Guide, "Burst and adaptive capacity"
# Published: the blog measured 4,500 read units a second, 9,000 eventually consistent 4 KB queries, on one partition key of an on-demand table, any of a partition's three replicas serving an eventually consistent read; `service: {eventual_read_ceiling: 4500}` takes that reading (docs/model.md, "Hot partition key under eventually consistent reads").
# Expect: ^requests\s+1,080,000 total\s+1,080,000 ok \(100%\)\s+0 throttled
# Expect: ^t\s+on-demand\s+\d+\s+4,500\s+4,50\d\s+-\s
$ ddbsim run story.yaml
version: 1
name: partitions-hot-key-eventual-reads-blog
description: 9,000 eventually consistent 4 KB gets a second of one item, on a new on-demand table, for two minutes, under the blog's 4,500 read units a partition for eventually consistent reads.
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
service:
  eventual_read_ceiling: 4500
----
partitions-hot-key-eventual-reads-blog  seed 1  duration 2m0s

requests    1,080,000 total   1,080,000 ok (100%)   0 throttled (0%)   0 errors (0%)
            throttle events 0   retries 0
latency     p50 2.50 ms   p90 5.37 ms   p99 10.0 ms   p99.9 15.7 ms   max 39.4 ms   mean 2.99 ms

operation      count  p50 ms  p90 ms  p99 ms  p99.9 ms  max ms  mean ms
get        1,080,000    2.50    5.37    10.0      15.7    39.4     2.99

table  mode       partitions  RCU/s mean   peak  provisioned  WCU/s mean  peak  provisioned  throttled
t      on-demand           8       4,500  4,501            -           0     0            -         0%

cost        $0.0675 for the run, $1,478.25 a month at this rate   (read requests $0.0675)
exit 0
