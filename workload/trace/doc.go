// Package trace reads recorded workloads: trace files (a record a
// request) and YCSB core-workload property files, each from an io.Reader
// or io.ReaderAt the caller opened, with errors that name FILE:LINE.
//
// # Traces
//
// A trace gives each request's time, key, operation and item size. The
// file is streamed: a Reader holds one line at a time in a fixed buffer
// (MaxLine). Scan checks a whole trace in one pass before a run, so that
// a bad line is reported before anything runs; a replay (workload.Trace)
// then reads it again with NewReader, a record ahead of the requests it
// issues.
//
// Two layouts are read (Format):
//
//   - csv: a header line `timestamp,key,op,size`, then one record a
//     line. timestamp is in seconds (a decimal such as 12.25; nanosecond
//     resolution); op is get, put, update, delete, query or scan; size is
//     the item size in bytes, required for put and update (1 to 400 KB)
//     and ignored (may be empty) for the others. Fields are not quoted,
//     so a key cannot hold a comma. Reads of keys the trace has not
//     written find no item and cost the minimum (the table's preloaded
//     items are named k0, k1, ...).
//   - twitter: the Twitter cache-trace layout (twitter/cache-trace), no
//     header: `timestamp,key,key_size,value_size,client_id,operation,ttl`,
//     timestamp in whole seconds. The key is everything between the first
//     field and the last five, so it may hold commas. The item size is
//     key_size + value_size, clamped to 1 byte .. 400 KB (a cache value
//     may be larger than a DynamoDB item can). Memcached commands map
//     to table operations: get, gets -> get; set, add,
//     replace, cas -> put (the whole item is written; a cas is assumed to
//     win); append, prepend, incr, decr -> update (the item is modified
//     in place); delete -> delete. client_id and ttl are read over.
//     The records of one second are spread evenly over it, in file order:
//     the i-th of n records stamped T is issued at T + i/n s. A second
//     reader over the same file counts each second's records just ahead
//     of the first, so this too takes constant memory.
//
// In both, blank lines are skipped, spaces and tabs around a field are
// ignored, a line may end in CRLF, and a key is 1 to 2048 bytes (the
// service's partition-key limit). The first record is at t=0; timestamps
// must not go backwards (equal ones are issued at the same instant, in
// file order). A line that breaks these rules is an error naming the file
// and line and what was expected (Error).
//
// # YCSB property files
//
// ReadYCSB maps a YCSB core workload property file (Cooper et al.,
// "Benchmarking Cloud Serving Systems with YCSB", SoCC 2010) onto what a
// ddbsim workload and its table need: operation mix, key distribution,
// record size, scan lengths and arrivals. The six core workloads A-F are
// built in (CoreWorkload), written from their published definitions.
package trace
