# Retries: botocore's standard mode retry quota pays for 100 retries after throttles
# Source: REFERENCE.md retries; botocore/retries/standard.py (DEFAULT_MAX_ATTEMPTS 3, ExponentialBackoff with a 1 s base capped at 20 s, RetryQuotaChecker: INITIAL_RETRY_TOKENS 500, RETRY_COST 5, NO_RETRY_INCREMENT 1) and botocore/retries/quota.py
# Published: boto3's standard retry mode makes at most 3 attempts, waits a random part of 1 s, then of 2 s, and takes 5 of its 500 retry tokens per retry: a burst of throttled requests gets 100 retries, and a retried request waits at most 3 s.
# Expect: throttle events \d+\s+retries 10[0-3]$
# Expect: latency .* max ([12]\.\d\d|[0-9]\d\d ms)\s
$ ddbsim run story.yaml
version: 1
name: boto3-standard-throttled
description: 1,000 writes in one second to a table of 1 WCU; each client retries its throttled write with the SDK's standard mode while the retry quota lasts.
duration: 1m
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
    stages: [{for: 1s, rate: 1000/s}, {for: 59s, rate: 0/s}]
    shape: step
    mix: {put: 100%}
    keys: {distribution: uniform}
    item_size: 1KB
client:
  retry: boto3-standard
----
boto3-standard-throttled  seed 1  duration 1m0s

requests    999 total   302 ok (30.23%)   697 throttled (69.77%)   0 errors (0%)
            throttle events 798   retries 101
latency     p50 1.62 ms   p90 10.6 ms   p99 946 ms   p99.9 1.63 s   max 1.99 s   mean 54.2 ms

operation  count  p50 ms  p90 ms  p99 ms  p99.9 ms  max ms  mean ms
put          999    1.62    10.6     946     1,630   1,989     54.2

table  mode         partitions  RCU/s mean  peak  provisioned  WCU/s mean  peak  provisioned  throttled
t      provisioned           1           0     0            1        5.03   300            1     69.77%

throttles   t  TableWriteProvisionedThroughputExceeded  798

cost        $0.000013 for the run, $0.570 a month at this rate   (read capacity $0.000002, write capacity $0.000011)

WARNING     gave up 697 requests (69.77%) and no given_up threshold allows it
exit 0
