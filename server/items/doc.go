// Package items applies DynamoDB's data-plane operations to a served
// table's real items and has the model admit and price each one.
//
// A served table keeps its items twice: the real items, with every
// attribute a client wrote, in a store.Store of their own, and their
// likeness in the model's table, an item of the same size at the same
// partition key, which the model's admission, pricing, partition sizes
// and splits read. A real item's sort key becomes a sort-key index of the
// model's store: an integer Number sort key from 0 to 2^40 is its own
// index (so an item a client writes at a key the scenario preloaded
// replaces that item), any other sort key an index from 2^40 up assigned
// on first write. Both copies change together, in the order the server's
// one loop hands requests in, so the model always prices the item the
// client sees.
//
// Conditions, updates and projections come in as functions, so that this
// package knows nothing of the expression language (package server/expr)
// or the wire format (package server/wire).
package items
