# Burst: a partition banks up to 300 seconds of its unused capacity
# Source: REFERENCE.md burst; AWS DynamoDB Developer Guide, "Burst capacity" (burst-adaptive-capacity.html)
# Published: 150 read units left idle for 5 minutes bank 45,000 units; at 200 reads a second the extra 50 a second lasts 900 seconds, after which reads above 150 a second are throttled.
# Expect: requests\s+2(39,999|40,000) total\s+22[45],\d{3} ok
# Expect: \b1[45],[09]\d\d throttled \(6\.2\d%\)
$ ddbsim run story.yaml
version: 1
name: burst-300-seconds
description: 150 RCU idle for five minutes, then 200 strongly consistent 4 KB reads a second for twenty.
duration: 25m
tables:
  - name: t
    partition_key: id
    mode: provisioned
    read_capacity: 150
    write_capacity: 10
    items: {count: 1k, size: 4KB}
workloads:
  - name: readers
    table: t
    arrival: constant
    stages: [{for: 5m, rate: 0/s}, {for: 20m, rate: 200/s}]
    shape: step
    mix: {get: 100%}
    keys: {distribution: uniform}
    item_size: 4KB
    consistency: strong
client:
  retry: none
----
burst-300-seconds  seed 1  duration 25m0s

requests    239,999 total   224,998 ok (93.75%)   15,001 throttled (6.25%)   0 errors (0%)
            throttle events 15,001   retries 0
latency     p50 2.86 ms   p90 6.30 ms   p99 11.8 ms   p99.9 18.5 ms   max 45.9 ms   mean 3.43 ms

operation    count  p50 ms  p90 ms  p99 ms  p99.9 ms  max ms  mean ms
get        239,999    2.86    6.30    11.8      18.5    45.9     3.43

table  mode         partitions  RCU/s mean  peak  provisioned  WCU/s mean  peak  provisioned  throttled
t      provisioned           1         150   201          150           0     0           10      6.25%

throttles   t  TableReadProvisionedThroughputExceeded  15,001

cost        $0.0108 for the run, $18.98 a month at this rate   (read capacity $0.00813, write capacity $0.00271, storage $0.000001)

WARNING     gave up 15,001 requests (6.25%) and no given_up threshold allows it
exit 0
