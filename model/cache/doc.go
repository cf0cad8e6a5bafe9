// Package cache models DAX's caches and their sizing: the item and query
// caches (least recently used, with a time to live and a budget of
// entries or bytes), the node types, how a node's memory divides between
// the caches, and the sizing rule's normalized load (REFERENCE: dax).
package cache
