// Package model is the service: Service.Handle serves one request against
// tables and their partitions, admitting or throttling it; secondary
// indexes, transactions, batches, the DAX serving path and global tables
// are served here, and what happens is told to a Recorder as events. The
// concepts it is built from have rooms of their own: units (capacity
// arithmetic), store (items in hash order), capacity (token buckets and
// capacity policies), latency, cache (DAX caches and sizing), billing,
// stream and ttl. It knows nothing about files, flags or output formats;
// every rule cites the section of REFERENCE.md it implements
// ("REFERENCE: units").
package model
