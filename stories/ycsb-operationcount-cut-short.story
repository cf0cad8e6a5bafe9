# YCSB: a run that ends before operationcount says what it cut
# Source: YCSB core workload properties (core/src/main/java/site/ycsb/workloads/CoreWorkload.java, operationcount; site/ycsb/Client.java, which stops the client threads once operationcount operations are done) and the YCSB wiki "Core Properties"
# Published: YCSB's run phase performs operationcount operations (3,000,000 here) and then stops; with no target, each client thread sends its next operation as soon as the last one returns. ddbsim runs the client threads for the run's duration and, if that ends first, says how many of the operations ran rather than projecting a month from a silent cut.
# Expect: ^cut short: workload ycsb ran [\d,]+ of its 3,000,000 operations \(operationcount without a target
$ ddbsim run --ycsb workloada --ycsb-property operationcount=3000000 --duration 1m
----
ycsb  seed 1  duration 1m0s
cut short: workload ycsb ran 17,088 of its 3,000,000 operations (operationcount without a target: the client threads ran until the run ended at 1m0s; --duration runs longer); the cost a month is projected from what ran

requests    17,088 total   17,088 ok (100%)   0 throttled (0%)   0 errors (0%)
            throttle events 0   retries 0
latency     p50 3.00 ms   p90 6.19 ms   p99 11.1 ms   p99.9 16.6 ms   max 21.0 ms   mean 3.51 ms

operation  count  p50 ms  p90 ms  p99 ms  p99.9 ms  max ms  mean ms
get        8,594    2.51    5.42    9.98      14.6    21.0     2.99
update     8,494    3.52    6.88    12.2      18.1    21.0     4.04

table      mode       partitions  RCU/s mean  peak  provisioned  WCU/s mean  peak  provisioned  throttled
usertable  on-demand           8        71.6  81.5            -         283   324            -         0%

cost        $0.0112 for the run, $488.57 a month at this rate   (read requests $0.000537, write requests $0.0106)
exit 0
