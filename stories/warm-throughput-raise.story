# Warm throughput: raising provisioned capacity again up to the table's warm throughput is immediate
# Source: REFERENCE.md ondemand (warm throughput) and provisioned; AWS DynamoDB Developer Guide, "Understanding DynamoDB warm throughput" (warm-throughput.html)
# Published: a table's warm throughput is the throughput it can serve at once; a provisioned table once at 10,000 WCU keeps that warm throughput after it is lowered to 1,000, so raising it back to 8,000 WCU serves 8,000 writes a second from that moment, without a throttle.
# Expect: throttle_events == 0\s+0\s+pass
# Expect: final_wcu == 8000\s+8,000\s+pass
$ ddbsim run story.yaml
version: 1
name: warm-throughput-raise
description: 10,000 WCU lowered to 1,000 at one minute, raised to 8,000 at ten, then 8,000 writes a second for three minutes.
duration: 13m
tables:
  - name: t
    partition_key: id
    mode: provisioned
    read_capacity: 100
    write_capacity: 10000
    capacity_changes:
      - {at: 1m, write_capacity: 1000}
      - {at: 10m, write_capacity: 8000}
    items: {count: 10k, size: 1KB}
workloads:
  - name: writers
    table: t
    stages: [{for: 10m1s, rate: 0/s}, {for: 2m59s, rate: 8000/s}]
    shape: step
    arrival: constant
    mix: {put: 100%}
    keys: {distribution: uniform}
    item_size: 1KB
client:
  retry: none
thresholds:
  final_wcu: "== 8000"
  throttle_events: "== 0"
----
warm-throughput-raise  seed 1  duration 13m0s

requests    1,431,999 total   1,431,999 ok (100%)   0 throttled (0%)   0 errors (0%)
            throttle events 0   retries 0
latency     p50 3.50 ms   p90 6.90 ms   p99 12.0 ms   p99.9 17.9 ms   max 40.6 ms   mean 4.03 ms

operation      count  p50 ms  p90 ms  p99 ms  p99.9 ms  max ms  mean ms
put        1,431,999    3.50    6.90    12.0      17.9    40.6     4.03

table  mode         partitions  RCU/s mean  peak  provisioned  WCU/s mean   peak      provisioned  throttled
t      provisioned          11           0     0          100       1,836  8,000  10,000 -> 8,000         0%

cost        $1.41 for the run, $4,754.49 a month at this rate   (read capacity $0.00282, write capacity $1.41, storage $0.000001)

thresholds  final_wcu == 8000     8,000  pass
            throttle_events == 0  0      pass
            all 2 passed
exit 0
