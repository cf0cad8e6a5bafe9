# Prices: a run's monthly projection under the 30-day month
# Source: REFERENCE.md prices; AWS "Amazon DynamoDB pricing for provisioned capacity" (us-east-1, worked example, a 30-day month)
# Published: 100 RCU and 100 WCU provisioned for a month of 720 hours cost $56.16, storage aside; a scenario that chooses the 30-day month projects its run to that month.
# Expect: \$56\.16 a month \(720 hours, 30 days\)
$ ddbsim run story.yaml
version: 1
name: month-30d
description: 100 RCU and 100 WCU provisioned, idle, billed by the 30-day month of the AWS pricing examples.
duration: 1h
tables:
  - name: t
    partition_key: id
    mode: provisioned
    read_capacity: 100
    write_capacity: 100
workloads:
  - {name: idle, table: t, rate: 0/s, mix: {get: 100%}, keys: {count: 1k}}
prices: {month: 30d}
----
month-30d  seed 1  duration 1h0m0s

requests    0 total   0 ok (0%)   0 throttled (0%)   0 errors (0%)
            throttle events 0   retries 0
latency     p50 0 ms   p90 0 ms   p99 0 ms   p99.9 0 ms   max 0 ms   mean 0 ms

table  mode         partitions  RCU/s mean  peak  provisioned  WCU/s mean  peak  provisioned  throttled
t      provisioned           1           0     0          100           0     0          100         0%

cost        $0.0780 for the run, $56.16 a month (720 hours, 30 days) at this rate   (read capacity $0.0130, write capacity $0.0650)
exit 0
