# YCSB: an LRU of 100 items over workload C's 1,000 records hits about 20% of reads
# Source: REFERENCE.md has no YCSB section: YCSB's own source, github.com/brianfrankcooper/YCSB core/src/main/java/site/ycsb/generator/ScrambledZipfianGenerator.java (Zipf 0.99 over 10^10 items, ZETAN 26.469, FNV-hashed onto the records), as CoreWorkload uses it for requestdistribution=zipfian
# Published: YCSB's zipfian spreads the draws of a Zipf over ten billion items across the records, so the hottest 100 of workload C's 1,000 records draw few of the reads: replaying YCSB's generator through an LRU of 100 gives a hit rate of 0.20 (an exact Zipf over the records would give 0.57).
# Expect: hit rate (19\.[5-9]\d|20\.[0-4]\d)% \(item
$ ddbsim run story.yaml
version: 1
name: ycsb-c-lru-100
description: YCSB workload C's 1,000 records read through a DAX item cache of 100 items.
seed: 1
duration: 1h
tables:
  - {name: usertable, partition_key: key, mode: on-demand}
dax:
  name: cache
  nodes: 1
  node_type: dax.r5.large
  item_ttl: 24h
  item_cache_items: 100
workloads:
  - name: ycsb
    table: usertable
    ycsb: workloadc
    ycsb_properties: {operationcount: 200000, threadcount: 8}
----
ycsb-c-lru-100  seed 1  duration 1h0m0s

requests    200,000 total   200,000 ok (100%)   0 throttled (0%)   0 errors (0%)
            throttle events 0   retries 0
latency     p50 2.38 ms   p90 5.29 ms   p99 9.86 ms   p99.9 15.6 ms   max 38.4 ms   mean 2.70 ms

operation    count  p50 ms  p90 ms  p99 ms  p99.9 ms  max ms  mean ms
get        200,000    2.38    5.29    9.86      15.6    38.4     2.70

table      mode       partitions  RCU/s mean   peak  provisioned  WCU/s mean  peak  provisioned  throttled
usertable  on-demand           8        22.3  1,227            -           0     0            -         0%

dax         hit rate 19.70% (item 19.70%, query -)   39,390 hits   160,610 misses   0 stale   0 throttled
            hit p50 0.250 ms p99 0.993 ms   miss p50 2.81 ms p99 10.4 ms   read units saved 19,695
            cluster cache (1 x dax.r5.large): peak load 50,366/s of 75,000/s (67.15%)

cost        $0.279 for the run, $203.70 a month at this rate   (read requests $0.0100, DAX nodes $0.269)
exit 0
