# Retries: the Java SDK 2.x waits 35.75 to 71.5 seconds, 53.6 on average, for a write DynamoDB throttles every time
# Source: REFERENCE.md retries; aws-sdk-java-v2 services/dynamodb/.../DynamoDbRetryPolicy.java (MAX_ERROR_RETRY 8, BASE_DELAY 25 ms), core/retry/backoff/BackoffStrategy.java (legacy mode's throttling strategy: EqualJitterBackoffStrategy) and core/internal/retry/SdkDefaultRetrySetting.java (THROTTLED_BASE_DELAY 500 ms, MAX_BACKOFF 20 s)
# Published: the Java SDK 2.x's DynamoDB client makes up to 9 attempts and, in its default legacy mode, waits between half of and all of min(500 ms x 2^(n-1), 20 s) before retry n after a throttle: a request throttled on every attempt waits between 35.75 and 71.5 seconds, 53.6 seconds on average.
# Expect: p50 5[34]\.\d s\b
# Expect: max (3[6-9]|[4-6]\d|7[01])\.\d s\b
# Expect: \bthrottled \(9\d\.\d\d%\)
$ ddbsim run story.yaml
version: 1
name: java-v2-throttled
description: 1,000 writes a second for ten seconds to a table of 1 WCU; the Java SDK 2.x retries each throttled write up to 8 times.
duration: 3m
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
    stages: [{for: 10s, rate: 1000/s}, {for: 170s, rate: 0/s}]
    shape: step
    mix: {put: 100%}
    keys: {distribution: uniform}
    item_size: 1KB
client:
  retry: java-v2
----
java-v2-throttled  seed 1  duration 3m0s

requests    10,000 total   375 ok (3.75%)   9,625 throttled (96.25%)   0 errors (0%)
            throttle events 87,066   retries 77,441
latency     p50 53.3 s   p90 59.9 s   p99 64.3 s   p99.9 67.0 s   max 68.9 s   mean 51.8 s

operation   count  p50 ms  p90 ms  p99 ms  p99.9 ms  max ms  mean ms
put        10,000  53,346  59,867  64,258    66,978  68,860   51,751

table  mode         partitions  RCU/s mean  peak  provisioned  WCU/s mean  peak  provisioned  throttled
t      provisioned           1           0     0            1        2.08   300            1     96.25%

throttles   t  TableWriteProvisionedThroughputExceeded  87,066

cost        $0.000039 for the run, $0.570 a month at this rate   (read capacity $0.000007, write capacity $0.000033)

WARNING     gave up 9,625 requests (96.25%) and no given_up threshold allows it
            p99 64.3 s is over the 1.00 s guard and no p99_ms threshold allows it
exit 0
