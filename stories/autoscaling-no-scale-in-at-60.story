# Auto scaling: 60% on a 70% target does not scale in
# Source: REFERENCE.md provisioned; AWS DynamoDB Developer Guide, "Managing throughput capacity automatically with DynamoDB auto scaling" (AutoScaling.html), and the knowledge-centre article on DynamoDB auto scaling's CloudWatch alarms
# Published: the scale-in alarm fires only after 15 consecutive one-minute datapoints at least 20 percentage points below the target, and the new capacity aims at consumed/target: 600 WCU/s on 1,000 WCU at a 70% target is 60%, only 10 points below, so the table keeps its 1,000 WCU.
# Expect: final_wcu == 1000\s+1,000\s+pass
$ ddbsim run story.yaml
version: 1
name: autoscaling-no-scale-in-at-60
description: An auto-scaled table of 1,000 WCU at a 70% target, writing 600 WCU a second for 25 minutes.
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
  - {name: writers, table: t, rate: 600/s, arrival: constant, mix: {put: 100%}, keys: {distribution: uniform}, item_size: 1KB}
thresholds:
  final_wcu: "== 1000"
----
autoscaling-no-scale-in-at-60  seed 1  duration 25m0s

requests    899,999 total   899,999 ok (100%)   0 throttled (0%)   0 errors (0%)
            throttle events 0   retries 0
latency     p50 3.50 ms   p90 6.91 ms   p99 12.0 ms   p99.9 17.9 ms   max 40.6 ms   mean 4.03 ms

operation    count  p50 ms  p90 ms  p99 ms  p99.9 ms  max ms  mean ms
put        899,999    3.50    6.91    12.0      17.9    40.6     4.03

table  mode         partitions  RCU/s mean  peak  provisioned  WCU/s mean  peak  provisioned  throttled
t      provisioned           2           0     0          100         600   601        1,000         0%

cost        $0.276 for the run, $483.99 a month at this rate   (read capacity $0.00542, write capacity $0.271)

thresholds  final_wcu == 1000  1,000  pass
            all 1 passed
exit 0
