// Package fluid is the aggregate driver (--fidelity aggregate): workloads
// stepped in ticks of virtual time, counted rather than simulated one
// request at a time, through the same admission order as single requests
// (model.Service.AdmitCounts).
//
// Each tick, for each workload, it takes the expected arrivals of the
// tick from the rate profile (exact for evenly spaced arrivals; Poisson
// otherwise, drawn for each operation and partition, which is a Poisson
// total split multinomially), splits them by the mix and over the
// table's partitions by key popularity (Placement: each partition's share
// of the key distribution, listed keys hashed exactly and the rest spread
// over the hash space), and hands the counts to the service
// (model.Service.AdmitCounts), which admits them through the same
// admission code as single requests, charges what they consume, and reports the
// rest as throttles. Throttled requests are retried as the client's retry
// policy says: spread over the following ticks by the distribution of
// their backoff (a retry whose backoff ends in the tick it was throttled
// in is sent in the next: offered again in the same tick, it would find
// the tick's capacity taken by those that came before, where one at a
// time it would have taken its turn), within MaxAttempts and the retry
// quota, which is kept as a fluid balance.
//
// Latency is recorded with weighted histogram counts: the admitted
// requests of an operation in a tick are recorded at quantiles of the
// operation's service time (LatencyGrid), each with its share of the
// count, plus, for retried requests, the time they spent throttled and
// backing off. Every outcome of a tick ends at the tick's last
// nanosecond.
//
// A closed loop (users who wait for each response, then think) offers
// each tick the operations Little's law gives its users at the throttle
// rate the tick's admission would give them: the fixed point of the two,
// found by asking the service without charging it (PlanCounts); see
// closed.go.
//
// A batch or a transaction offers its parts, each on the partition of its
// key, and settles whole requests: a batch's unprocessed parts are
// retried together, a transaction is admitted whole or not at all, and
// the items committed transactions hold make transactions and plain
// writes conflict; see multi.go and conflicts.go.
//
// What follows from requests is counted too: a write's global secondary
// index entries, admitted only as far as the index's partitions take them
// (index.go, model/counts_index.go); a DAX cluster's item cache, as the
// share of each class of keys cached (dax.go, model/cache/counted.go); a
// stream's records (changes.go); TTL deletions (ttl.go); a global table's
// replicated writes, conflicts and stale reads, and region outages
// (global.go, model/counts_global.go).
//
// What it approximates, and what it does not model, is in Source and in
// docs/model.md ("Where it approximates"). Every built-in scenario runs
// under both drivers and agrees (cmd/ddbsim/drivers_agree_test.go).
package fluid
