// Package capacity meters and changes throughput: token buckets that
// refill lazily from elapsed virtual time, and the pure policies that move
// a table's capacity (partition ceilings and the initial partition count,
// target-tracking auto scaling, the on-demand peak, the daily limit on
// decreases) (REFERENCE: partitions, provisioned, ondemand).
package capacity
