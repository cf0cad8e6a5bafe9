// Package ttl expires a table's items (REFERENCE: ttl): it keeps each
// item's expiry from the writes it is told of and the items loaded before
// the run, and deletes the items due, each within a window after it
// expires, through the service's own deletion.
package ttl
