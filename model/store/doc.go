// Package store holds a table's items in hash order: key hashing, the
// partition-key hash ranges partitions own, the 1 MB page rule of Query
// and Scan, the allocation-free sized operations the simulation runs on
// synthetic items, and the general item API (attribute values, GetItem,
// PutItem, UpdateItem, DeleteItem, Query, Scan) a DynamoDB API server
// serves real items with.
package store
