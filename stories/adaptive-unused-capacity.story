# Adaptive capacity: a hot partition borrows the table's unused capacity at once
# Source: REFERENCE.md adaptive; AWS DynamoDB Developer Guide, "Adaptive capacity" (burst-adaptive-capacity.html)
# Published: 400 WCU over 4 partitions gives each 100 WCU, yet one partition can sustain 150 WCU while the others are idle, as long as the table's total and the partition ceiling hold.
# Expect: requests\s+\d{2,3},\d{3} total .* 0 throttled \(0%\)
# Expect: ^t\s+provisioned\s+4\s
$ ddbsim run story.yaml
version: 1
name: adaptive-unused-capacity
description: One key takes 150 writes a second for 30 minutes (longer than burst credit could cover) on a 400 WCU table of four partitions.
duration: 30m
tables:
  - name: t
    partition_key: id
    mode: provisioned
    read_capacity: 10
    write_capacity: 400
    partitions: 4
    items: {count: 1k, size: 1KB}
workloads:
  - name: hot-writer
    table: t
    rate: 150/s
    arrival: constant
    mix: {put: 100%}
    keys: {distribution: hot}
    item_size: 1KB
client:
  retry: none
----
adaptive-unused-capacity  seed 1  duration 30m0s

requests    270,000 total   270,000 ok (100%)   0 throttled (0%)   0 errors (0%)
            throttle events 0   retries 0
latency     p50 3.50 ms   p90 6.90 ms   p99 12.0 ms   p99.9 17.8 ms   max 39.6 ms   mean 4.03 ms

operation    count  p50 ms  p90 ms  p99 ms  p99.9 ms  max ms  mean ms
put        270,000    3.50    6.90    12.0      17.8    39.6     4.03

table  mode         partitions  RCU/s mean  peak  provisioned  WCU/s mean  peak  provisioned  throttled
t      provisioned           4           0     0           10         150   151          400         0%

cost        $0.131 for the run, $190.75 a month at this rate   (read capacity $0.000650, write capacity $0.130)
exit 0
