# Global tables: every replica is billed for every write
# Source: REFERENCE.md global; AWS DynamoDB Developer Guide, "Global tables: how it works" (billing) and the DynamoDB pricing page
# Published: writes of 5, 10 and 5 a second in three regions need 20 replicated write units in each region, 60 in all.
# Expect: ^deals \(us-east-1\)\s+provisioned\s+1\s+0\s+0\s+10\s+(19\.9|20\.0)\s
# Expect: ^deals \(eu-west-1 replica\)\s+provisioned\s+1\s+0\s+0\s+10\s+(19\.9|20\.0)\s
# Expect: ^deals \(ap-southeast-2 replica\)\s+provisioned\s+1\s+0\s+0\s+10\s+(19\.9|20\.0)\s
$ ddbsim run story.yaml
version: 1
name: global-replicated-writes
description: A global table in three regions taking 5, 10 and 5 writes a second.
duration: 10m
region: us-east-1
tables:
  - name: deals
    partition_key: id
    mode: provisioned
    read_capacity: 10
    write_capacity: 40
    items: {count: 1k, size: 1KB}
    replicas: [us-east-1, eu-west-1, ap-southeast-2]
workloads:
  - {name: us, table: deals, region: us-east-1, rate: 5/s, arrival: constant, mix: {put: 100%}, keys: {distribution: uniform}, item_size: 1KB}
  - {name: eu, table: deals, region: eu-west-1, rate: 10/s, arrival: constant, mix: {put: 100%}, keys: {distribution: uniform}, item_size: 1KB}
  - {name: ap, table: deals, region: ap-southeast-2, rate: 5/s, arrival: constant, mix: {put: 100%}, keys: {distribution: uniform}, item_size: 1KB}
client:
  retry: none
----
global-replicated-writes  seed 1  duration 10m0s

requests    11,997 total   11,997 ok (100%)   0 throttled (0%)   0 errors (0%)
            throttle events 0   retries 0
latency     p50 3.52 ms   p90 6.97 ms   p99 12.2 ms   p99.9 17.6 ms   max 23.2 ms   mean 4.04 ms

operation   count  p50 ms  p90 ms  p99 ms  p99.9 ms  max ms  mean ms
put        11,997    3.52    6.97    12.2      17.6    23.2     4.04

workload  requests  throttled  p50 ms  p99 ms  retries
us           2,999         0%    3.57    12.3        0
eu           5,999         0%    3.53    12.1        0
ap           2,999         0%    3.44    12.2        0

table                           mode         partitions  RCU/s mean  peak  provisioned  WCU/s mean  peak  provisioned  throttled
deals (us-east-1)               provisioned           1           0     0           10        19.9  27.0           40         0%
deals (eu-west-1 replica)       provisioned           1           0     0           10        19.9  26.0           40         0%
deals (ap-southeast-2 replica)  provisioned           1           0     0           10        19.9  27.0           40         0%

global      replication lag p50 1.00 s p99 2.51 s max 4.83 s   23,776 replicated writes
            191 conflicts (191 updates overwritten)   stale reads -   unreplicated at outage 0
            availability min 100% (lowest 5-minute interval)

cost        $0.0137 for the run, $59.79 a month at this rate   (read capacity $0.000650, replicated write capacity $0.0130)
exit 0
