// Package model is the service model: tables, items and their sizes,
// partitions, capacity-unit arithmetic, admission through token buckets,
// throttling, secondary indexes, DAX clusters in front of tables, billing
// and service latency. It knows nothing about files, flags or output
// formats; every rule cites the section of REFERENCE.md it implements
// ("REFERENCE: units").
package model
