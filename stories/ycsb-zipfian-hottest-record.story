# YCSB: the hottest record takes 1/26.47 of a zipfian workload's operations
# Source: REFERENCE.md has no YCSB section: YCSB's own source, github.com/brianfrankcooper/YCSB core/src/main/java/site/ycsb/generator/ScrambledZipfianGenerator.java (ZETAN = 26.46902820178302, the Zipf 0.99 normaliser over 10^10 items) and ZipfianGenerator.java (item 0 drawn when u x zetan < 1); REFERENCE.md partitions and the AWS DynamoDB Developer Guide, "Partitions and data distribution" (1,000 write units a second per partition key)
# Published: YCSB's zipfian draws its first item with probability 1/26.47 = 3.78% whatever the record count, so at 30,000 updates a second over 1,000 records the hottest key asks for about 1,170 write units a second, 170 over the one-key limit of 1,000: about 0.5% of updates throttle (an exact Zipf would give the key 12.9%, 3,870 a second, and throttle 9.6%).
# Expect: \b(0\.[3-6]\d)%\)\s+0 errors
# Expect: TableWriteKeyRangeThroughputExceeded\s+\d
$ ddbsim run story.yaml
version: 1
name: ycsb-hottest-record
description: YCSB updates to 1,000 records at 30,000 a second on a table spread over enough partitions that only the one-key limit binds.
seed: 1
duration: 1m
tables:
  - name: usertable
    partition_key: key
    mode: on-demand
    warm_throughput: {writes: 40k/s}
    partitions: 2000
workloads:
  - name: ycsb
    table: usertable
    ycsb: workloada
    ycsb_properties: {readproportion: 0, updateproportion: 1, target: 30000, operationcount: 0, fieldcount: 1, fieldlength: 100}
client:
  retry: none
----
ycsb-hottest-record  seed 1  duration 1m0s

requests    1,799,999 total   1,790,556 ok (99.48%)   9,443 throttled (0.52%)   0 errors (0%)
            throttle events 9,443   retries 0
latency     p50 3.49 ms   p90 6.89 ms   p99 12.0 ms   p99.9 17.8 ms   max 40.6 ms   mean 4.01 ms

operation      count  p50 ms  p90 ms  p99 ms  p99.9 ms  max ms  mean ms
update     1,799,999    3.49    6.89    12.0      17.8    40.6     4.01

table      mode       partitions  RCU/s mean  peak  provisioned  WCU/s mean    peak  provisioned  throttled
usertable  on-demand       2,000           0     0            -      29,843  29,917            -      0.52%

throttles   usertable  TableWriteKeyRangeThroughputExceeded  9,443

cost        $1.12 for the run, $49,016.47 a month at this rate   (write requests $1.12)

WARNING     gave up 9,443 requests (0.52%) and no given_up threshold allows it
exit 0
