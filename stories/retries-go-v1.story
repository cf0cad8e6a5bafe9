# Retries: aws-sdk-go v1 waits about ten minutes for a write DynamoDB throttles every time
# Source: REFERENCE.md retries; aws-sdk-go aws/client/default_retryer.go (DefaultRetryerMinThrottleDelay 500 ms, DefaultRetryerMaxThrottleDelay 300 s, RetryRules, getJitterDelay) and service/dynamodb/customizations.go (10 retries)
# Published: aws-sdk-go v1's DynamoDB client retries 10 times and, after a throttle, waits 2^(n-1) x a draw from [500 ms, 1 s) before retry n, a delay past 300 s drawn again from [150 s, 300 s): a request throttled on all 11 attempts waits about 608 seconds, ten minutes, on average.
# Expect: p50 (59\d|6[0-2]\d) s\b
$ ddbsim run story.yaml
version: 1
name: go-v1-throttled
description: 1,000 writes a second for ten seconds to a table of 1 WCU; aws-sdk-go v1 retries each throttled write up to 10 times.
duration: 20m
tables:
  - name: t
    partition_key: id
    mode: provisioned
    read_capacity: 1
    write_capacity: 1
    items: {count: 1k, size: 1KB}
workloads:
  - name: writers
    table: t
    arrival: constant
    stages: [{for: 10s, rate: 1000/s}, {for: 1190s, rate: 0/s}]
    shape: step
    mix: {put: 100%}
    keys: {distribution: uniform}
    item_size: 1KB
client:
  retry: go-v1
----
go-v1-throttled  seed 1  duration 20m0s

requests    10,000 total   1,073 ok (10.73%)   8,927 throttled (89.27%)   0 errors (0%)
            throttle events 104,897   retries 95,970
latency     p50 602 s   p90 687 s   p99 738 s   p99.9 761 s   max 779 s   mean 573 s

operation   count   p50 ms   p90 ms   p99 ms  p99.9 ms   max ms  mean ms
put        10,000  601,883  686,817  737,673   760,742  778,624  572,578

table  mode         partitions  RCU/s mean  peak  provisioned  WCU/s mean  peak  provisioned  throttled
t      provisioned           1           0     0            1       0.894   300            1     89.27%

throttles   t  TableWriteProvisionedThroughputExceeded  104,897

cost        $0.000260 for the run, $0.570 a month at this rate   (read capacity $0.000043, write capacity $0.000217)

WARNING     gave up 8,927 requests (89.27%) and no given_up threshold allows it
            p99 738 s is over the 1.00 s guard and no p99_ms threshold allows it
exit 0
