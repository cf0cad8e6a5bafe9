// Package stream is a table's change log (REFERENCE: streams): item
// changes kept 24 hours in shards that follow the table's partitions,
// read by consumers (Lambda triggers, GetRecords clients) that can fall
// behind, lose records to retention, and are billed for their reads.
package stream
