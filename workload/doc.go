// Package workload generates the requests of a run: arrival processes,
// key choosers, operation mixes, item sizes, and the client that sends each
// request to the service and retries throttles as an SDK does.
package workload
