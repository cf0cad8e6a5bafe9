# Auto scaling: 45% on a 70% target scales in to consumed/target
# Source: REFERENCE.md provisioned; AWS DynamoDB Developer Guide, "Managing throughput capacity automatically with DynamoDB auto scaling" (AutoScaling.html), and the knowledge-centre article on DynamoDB auto scaling's CloudWatch alarms
# Published: the scale-in alarm fires only after 15 consecutive one-minute datapoints at least 20 percentage points below the target, and the new capacity aims at consumed/target: 450 WCU/s on 1,000 WCU at a 70% target is 45%, 25 points below: after 15 datapoints the table scales in to ceil(450/0.7) = 643 WCU.
# Expect: final_wcu == 643\s+643\s+pass
$ ddbsim run story.yaml
version: 1
name: autoscaling-scale-in-at-45
description: An auto-scaled table of 1,000 WCU at a 70% target, writing 450 WCU a second for 25 minutes.
duration: 25m
tables:
  - name: t
    partition_key: id
    mode: provisioned
    read_capacity: 100
    write_capacity: 1000
    autoscaling: {target: 70%, min: 100, max: 2000}
    items: {count: 1k, size: 1KB}
workloads:
  - {name: writers, table: t, rate: 450/s, arrival: constant, mix: {put: 100%}, keys: {distribution: uniform}, item_size: 1KB}
thresholds:
  final_wcu: "== 643"
----
autoscaling-scale-in-at-45  seed 1  duration 25m0s

requests    675,000 total   675,000 ok (100%)   0 throttled (0%)   0 errors (0%)
            throttle events 0   retries 0
latency     p50 3.50 ms   p90 6.90 ms   p99 12.0 ms   p99.9 17.9 ms   max 40.6 ms   mean 4.03 ms

operation    count  p50 ms  p90 ms  p99 ms  p99.9 ms  max ms  mean ms
put        675,000    3.50    6.90    12.0      17.9    40.6     4.03

table  mode         partitions  RCU/s mean  peak  provisioned  WCU/s mean  peak   provisioned  throttled
t      provisioned           2           0     0          100         450   451  1,000 -> 643         0%

cost        $0.276 for the run, $483.99 a month at this rate   (read capacity $0.00542, write capacity $0.271)

thresholds  final_wcu == 643  643  pass
            all 1 passed
exit 0
