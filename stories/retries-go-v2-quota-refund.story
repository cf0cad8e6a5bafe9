# Retries: aws-sdk-go-v2's retry quota gets back what a successful retry cost
# Source: REFERENCE.md retries; aws-sdk-go-v2 aws/retry/standard.go (GetRetryToken, the release function that refunds on success, NoRetryIncrement 1, RetryCost 5, RetryTimeoutCost 10) and aws/ratelimit/token_rate_limit.go (500 tokens)
# Published: the standard retryer takes 10 tokens of 500 to retry after a timeout, gives them back when the retry succeeds, and adds 1 for a first attempt that succeeds; so with one attempt in five timing out, the quota never runs dry and a request fails only when all 3 attempts time out: 0.2^3 = 0.8% of requests.
# Expect: \b\d+ errors \(0\.[78]\d%\)
# Expect: errors: timeout \d+$
$ ddbsim run story.yaml
version: 1
name: go-v2-quota-refund
description: 200 gets a second for ten minutes, one attempt in five slower than the client's 23 ms timeout; aws-sdk-go-v2 standard retries.
duration: 10m
tables:
  - name: t
    partition_key: id
    mode: on-demand
    items: {count: 10k, size: 1KB}
workloads:
  - {name: readers, table: t, rate: 200/s, mix: {get: 100%}, keys: {distribution: uniform}, item_size: 1KB}
latency:
  get: {median: 10ms, p99: 100ms}
client:
  retry: go-v2
  timeout: 23ms
----
go-v2-quota-refund  seed 1  duration 10m0s

requests    120,103 total   119,124 ok (99.18%)   0 throttled (0%)   979 errors (0.82%)
            throttle events 0   retries 28,858
            errors: timeout 979
latency     p50 9.99 ms   p90 1.24 s   p99 4.11 s   p99.9 5.44 s   max 6.00 s   mean 296 ms

operation    count  p50 ms  p90 ms  p99 ms  p99.9 ms  max ms  mean ms
get        120,103    9.99   1,244   4,110     5,435   6,002      296

table  mode       partitions  RCU/s mean  peak  provisioned  WCU/s mean  peak  provisioned  throttled
t      on-demand           8         124   150            -           0     0            -         0%

cost        $0.00931 for the run, $40.78 a month at this rate   (read requests $0.00931, storage $0.000001)

WARNING     gave up 979 requests (0.82%) and no given_up threshold allows it
            p99 4.11 s is over the 1.00 s guard and no p99_ms threshold allows it
exit 0
