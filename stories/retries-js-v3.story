# Retries: the AWS SDK for JavaScript v3's retry quota pays for 100 retries after throttles
# Source: REFERENCE.md retries; @smithy/util-retry constants.ts (INITIAL_RETRY_TOKENS 500, RETRY_COST 5, NO_RETRY_INCREMENT 1, DEFAULT_MAX_ATTEMPTS 3, THROTTLING_RETRY_DELAY_BASE 500 ms) and defaultRetryBackoffStrategy.ts
# Published: the JavaScript v3 standard strategy makes at most 3 attempts, backs a throttle off by a random part of 500 ms, then of 1 s, and takes 5 of its 500 retry tokens per retry: a burst of throttled requests gets 100 retries, and a retried request waits at most 1.5 s.
# Expect: throttle events \d+\s+retries 10[0-3]$
# Expect: latency .* max (1\.[0-4]\d|[0-9]\d\d ms)\s
$ ddbsim run story.yaml
version: 1
name: js-v3-throttled
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
  retry: js-v3
----
js-v3-throttled  seed 1  duration 1m0s

requests    999 total   301 ok (30.13%)   698 throttled (69.87%)   0 errors (0%)
            throttle events 798   retries 100
latency     p50 1.61 ms   p90 9.33 ms   p99 459 ms   p99.9 983 ms   max 1.03 s   mean 28.5 ms

operation  count  p50 ms  p90 ms  p99 ms  p99.9 ms  max ms  mean ms
put          999    1.61    9.33     459       983   1,026     28.5

table  mode         partitions  RCU/s mean  peak  provisioned  WCU/s mean  peak  provisioned  throttled
t      provisioned           1           0     0            1        5.02   300            1     69.87%

throttles   t  TableWriteProvisionedThroughputExceeded  798

cost        $0.000013 for the run, $0.570 a month at this rate   (read capacity $0.000002, write capacity $0.000011)

WARNING     gave up 698 requests (69.87%) and no given_up threshold allows it
exit 0
