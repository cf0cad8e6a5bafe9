# Local secondary indexes: an item collection holds at most 10 GB
# Source: REFERENCE.md gsi; AWS DynamoDB Developer Guide, "Local secondary indexes" (item collection size limit, ItemCollectionSizeLimitExceededException)
# Published: in a table with a local secondary index, one partition key's items and their index entries may not pass 10 GB; a write that would grow the collection past it fails with ItemCollectionSizeLimitExceededException.
# Expect: ^requests\s+1,199 total\s+1[1-3]\d ok
# Expect: ^\s+errors: item_collection_size_limit_exceeded 1,0[5-9]\d$
$ ddbsim run story.yaml
version: 1
name: lsi-collection-10gb
description: One forum's 34,900 threads of 300 KB (9.985 GiB) in a table with a local index; each write enlarges a thread to 400 KB until the collection reaches 10 GiB.
duration: 10m
tables:
  - name: threads
    partition_key: forum
    sort_key: subject
    mode: on-demand
    items: {count: 34900, size: 300KB, per_key: 34900}
    indexes: [{name: by-last-post, local: true, sort_key: last_post, projection: keys_only}]
workloads:
  - {name: grow, table: threads, rate: 2/s, arrival: constant, mix: {put: 100%}, item_size: 400KB, keys: {distribution: hot}}
client:
  retry: none
----
lsi-collection-10gb  seed 1  duration 10m0s

requests    1,199 total   128 ok (10.68%)   0 throttled (0%)   1,071 errors (89.32%)
            throttle events 0   retries 0
            errors: item_collection_size_limit_exceeded 1,071
latency     p50 3.59 ms   p90 7.05 ms   p99 11.6 ms   p99.9 16.5 ms   max 17.0 ms   mean 4.11 ms

operation  count  p50 ms  p90 ms  p99 ms  p99.9 ms  max ms  mean ms
put        1,199    3.59    7.05    11.6      16.5    17.0     4.11

table    mode       partitions  RCU/s mean  peak  provisioned  WCU/s mean  peak  provisioned  throttled
threads  on-demand           8           0     0            -        85.3   800            -         0%

cost        $0.0326 for the run, $142.66 a month at this rate   (write requests $0.0320, storage $0.000571)

WARNING     gave up 1,071 requests (89.32%) and no given_up threshold allows it
exit 0
