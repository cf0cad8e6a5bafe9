# Retries: aws-sdk-go-v2's adaptive mode slows its client to what the table admits instead of failing
# Source: REFERENCE.md retries; aws-sdk-go-v2 aws/retry/adaptive.go (GetAttemptToken before every attempt) and aws/retry/adaptive_ratelimit.go (beta 0.7, scale constant 0.4, smoothing 0.8, minimum fill rate 0.5 a second)
# Published: in adaptive mode every attempt takes a token from a client-side bucket that, once a throttle is seen, refills at 0.7 of the measured send rate after each throttle (never under 0.5 a second) and grows back as a cubic after successes; the client waits for its token, so against a table that admits one write a second most requests wait and succeed where the standard mode's three attempts and its retry quota fail them.
# Expect: ok \(9\d\.\d\d%\)
# Expect: max [1-9]\d\d s\b
$ ddbsim run story.yaml
version: 1
name: go-v2-adaptive-throttled
description: 100 writes a second for ten seconds to a table of 1 WCU; aws-sdk-go-v2's adaptive mode holds attempts until its rate limiter has a token.
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
    stages: [{for: 10s, rate: 100/s}, {for: 170s, rate: 0/s}]
    shape: step
    mix: {put: 100%}
    keys: {distribution: uniform}
    item_size: 1KB
client:
  retry: go-v2-adaptive
----
go-v2-adaptive-throttled  seed 1  duration 3m0s

requests    1,000 total   907 ok (90.70%)   93 throttled (9.30%)   0 errors (0%)
            throttle events 351   retries 258
latency     p50 194 s   p90 523 s   p99 593 s   p99.9 597 s   max 597 s   mean 219 s

operation  count   p50 ms   p90 ms   p99 ms  p99.9 ms   max ms  mean ms
put        1,000  194,249  523,239  592,970   597,143  597,143  218,727

table  mode         partitions  RCU/s mean  peak  provisioned  WCU/s mean  peak  provisioned  throttled
t      provisioned           1           0     0            1        5.04   100            1      9.30%

throttles   t  TableWriteProvisionedThroughputExceeded  351

cost        $0.000039 for the run, $0.570 a month at this rate   (read capacity $0.000007, write capacity $0.000033)

WARNING     gave up 93 requests (9.30%) and no given_up threshold allows it
            p99 593 s is over the 1.00 s guard and no p99_ms threshold allows it
exit 0
