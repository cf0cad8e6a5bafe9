# Retries: botocore's legacy mode waits 25.55 seconds for a write DynamoDB throttles every time
# Source: REFERENCE.md retries; botocore botocore/data/_retry.json ("dynamodb": max_attempts 10, delay exponential, base 0.05, growth_factor 2) and botocore/retryhandler.py (delay_exponential, MaxAttemptsDecorator)
# Published: boto3's legacy retry mode makes up to 10 attempts at a DynamoDB request, waiting exactly 0.05 x 2^(n-1) seconds before retry n, so a request throttled on all ten waits 0.05 + 0.1 + ... + 12.8 = 25.55 seconds and then fails.
# Expect: ^put\s+10,000\s+25,5[5-9]\d\s
# Expect: \bthrottled \(9\d\.\d\d%\)
$ ddbsim run story.yaml
version: 1
name: boto3-legacy-throttled
description: 1,000 writes a second for ten seconds to a table of 1 WCU; botocore's legacy mode retries each throttled write up to 9 times.
duration: 2m
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
    stages: [{for: 10s, rate: 1000/s}, {for: 110s, rate: 0/s}]
    shape: step
    mix: {put: 100%}
    keys: {distribution: uniform}
    item_size: 1KB
client:
  retry: boto3-legacy
----
boto3-legacy-throttled  seed 1  duration 2m0s

requests    10,000 total   335 ok (3.35%)   9,665 throttled (96.65%)   0 errors (0%)
            throttle events 96,860   retries 87,195
latency     p50 25.6 s   p90 25.6 s   p99 25.6 s   p99.9 25.6 s   max 25.6 s   mean 24.8 s

operation   count  p50 ms  p90 ms  p99 ms  p99.9 ms  max ms  mean ms
put        10,000  25,575  25,575  25,575    25,575  25,578   24,751

table  mode         partitions  RCU/s mean  peak  provisioned  WCU/s mean  peak  provisioned  throttled
t      provisioned           1           0     0            1        2.79   300            1     96.65%

throttles   t  TableWriteProvisionedThroughputExceeded  96,860

cost        $0.000026 for the run, $0.570 a month at this rate   (read capacity $0.000004, write capacity $0.000022)

WARNING     gave up 9,665 requests (96.65%) and no given_up threshold allows it
            p99 25.6 s is over the 1.00 s guard and no p99_ms threshold allows it
exit 0
