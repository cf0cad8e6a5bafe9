# Global secondary indexes: a base-table write throttled by its index fails with the index's reason
# Source: REFERENCE.md gsi, throttling; AWS DynamoDB Developer Guide, "Understanding GSI write throttling and back pressure", and API reference ThrottlingReason
# Published: when an index lacks the write capacity its index writes need, the service throttles the writes to the base table, and they fail with IndexWriteProvisionedThroughputExceeded: here four writes in five, the index having a fifth of the capacity they need.
# Expect: ^orders\s+provisioned\s+\d+\s+.*\s(79\.\d+|80\.\d+)%$
# Expect: ^throttles\s+orders\s+IndexWriteProvisionedThroughputExceeded\s+4[78],\d{3}$
$ ddbsim run story.yaml
version: 1
name: gsi-back-pressure
description: 500 updates a second on a table with room for them, whose index takes 100 WCU of the 500 its entries need.
duration: 2m
tables:
  - name: orders
    partition_key: id
    mode: provisioned
    read_capacity: 10
    write_capacity: 2000
    items: {count: 10k, size: 1KB}
    indexes:
      - name: by-status
        partition_key: status
        projection: all
        keys: {count: 1000}
        key_changes: 0%
        read_capacity: 10
        write_capacity: 100
workloads:
  - {name: w, table: orders, rate: 500/s, arrival: constant, mix: {update: 100%}, keys: {distribution: uniform}, item_size: 1KB}
client:
  retry: none
service:
  burst_window: 0s
----
gsi-back-pressure  seed 1  duration 2m0s

requests    59,999 total   12,099 ok (20.17%)   47,900 throttled (79.83%)   0 errors (0%)
            throttle events 47,900   retries 0
latency     p50 1.21 ms   p90 3.79 ms   p99 8.43 ms   p99.9 14.1 ms   max 24.4 ms   mean 1.77 ms

operation   count  p50 ms  p90 ms  p99 ms  p99.9 ms  max ms  mean ms
update     59,999    1.21    3.79    8.43      14.1    24.4     1.77

table                        mode         partitions  RCU/s mean  peak  provisioned  WCU/s mean  peak  provisioned  throttled
orders                       provisioned           3           0     0           10         101   199        2,000     79.83%
by-status (index of orders)  provisioned           1           0     0           10         101   199          100         0%

throttles   orders                       IndexWriteProvisionedThroughputExceeded  47,900
            by-status (index of orders)  IndexWriteProvisionedThroughputExceeded  47,900

cost        $0.0456 for the run, $998.35 a month at this rate   (read capacity $0.000087, write capacity $0.0455)

WARNING     gave up 47,900 requests (79.83%) and no given_up threshold allows it
exit 0
