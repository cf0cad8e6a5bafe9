// Package wire is the data DynamoDB's JSON 1.0 protocol carries:
// AttributeValue JSON decoded into store values and encoded from them,
// the request and response shapes of every served operation (tables,
// items, batches, transactions and streams), and error bodies with the
// HTTP status each error gets. It decides nothing about tables or
// capacity: it checks what the service checks before a request reaches
// a table (types, numbers, sets, nesting, body size) and no more.
package wire
