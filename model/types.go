package model

import (
	"fmt"
	"strconv"

	"github.com/ddbsim/ddbsim/sim"
)

// Op is a data-plane operation.
type Op uint8

// Operations, named as in scenario mixes and result JSON.
const (
	OpGet Op = iota
	OpPut
	OpUpdate
	OpDelete
	OpQuery
	OpScan
	OpBatchGet
	OpBatchWrite
	OpTransactGet
	OpTransactWrite
	NumOps
)

var opNames = [NumOps]string{
	"get", "put", "update", "delete", "query", "scan",
	"batch_get", "batch_write", "transact_get", "transact_write",
}

// String returns the operation's scenario name ("batch_get").
func (o Op) String() string {
	if o < NumOps {
		return opNames[o]
	}
	return "op(" + strconv.Itoa(int(o)) + ")"
}

// ParseOp returns the operation with the given scenario name.
func ParseOp(name string) (Op, bool) {
	for i, n := range opNames {
		if n == name {
			return Op(i), true
		}
	}
	return 0, false
}

// OpNames lists the operation names in their canonical order.
func OpNames() []string { return opNames[:] }

// IsWrite reports whether the operation consumes write capacity.
func (o Op) IsWrite() bool {
	switch o {
	case OpPut, OpUpdate, OpDelete, OpBatchWrite, OpTransactWrite:
		return true
	}
	return false
}

// Consistency is the read consistency a request asks for.
type Consistency uint8

const (
	// Eventual is the API's default: half the cost of a strong read.
	Eventual Consistency = iota
	// Strong reads go to the partition's leader.
	Strong
	// Transactional is the cost class of TransactGetItems/TransactWriteItems.
	Transactional
)

func (c Consistency) String() string {
	switch c {
	case Eventual:
		return "eventual"
	case Strong:
		return "strong"
	case Transactional:
		return "transactional"
	}
	return "consistency(" + strconv.Itoa(int(c)) + ")"
}

// Units is an amount of capacity in thousandths of a unit, so that half
// units (eventually consistent reads) and shares of a table's capacity
// divided across partitions stay exact integers. 1 RCU = 1000 Units.
type Units int64

// Unit is one whole read or write capacity unit.
const Unit Units = 1000

// WholeUnits converts a count of whole units.
func WholeUnits(n int64) Units { return Units(n) * Unit }

// Float returns u in capacity units.
func (u Units) Float() float64 { return float64(u) / float64(Unit) }

func (u Units) String() string { return strconv.FormatFloat(u.Float(), 'f', -1, 64) }

// ThrottleReason says why a request was throttled, named as the service's
// ThrottlingReason: resource + operation + limit (REFERENCE: throttling).
type ThrottleReason uint8

const (
	// NotThrottled marks an admitted request.
	NotThrottled ThrottleReason = iota
	TableReadProvisionedThroughputExceeded
	TableWriteProvisionedThroughputExceeded
	TableReadKeyRangeThroughputExceeded
	TableWriteKeyRangeThroughputExceeded
	NumThrottleReasons
)

var reasonNames = [NumThrottleReasons]string{
	"",
	"TableReadProvisionedThroughputExceeded",
	"TableWriteProvisionedThroughputExceeded",
	"TableReadKeyRangeThroughputExceeded",
	"TableWriteKeyRangeThroughputExceeded",
}

func (r ThrottleReason) String() string {
	if r < NumThrottleReasons {
		return reasonNames[r]
	}
	return fmt.Sprintf("reason(%d)", int(r))
}

// Result is the final outcome of a client request.
type Result uint8

const (
	// Succeeded: an attempt was admitted and served.
	Succeeded Result = iota
	// Throttled: every attempt was throttled and the client gave up.
	Throttled
	// Failed: the request ended in an error other than a throttle
	// (a client timeout, a failed condition check).
	Failed
)

func (r Result) String() string {
	switch r {
	case Succeeded:
		return "succeeded"
	case Throttled:
		return "throttled"
	case Failed:
		return "error"
	}
	return "result(" + strconv.Itoa(int(r)) + ")"
}

// Outcome describes one finished client request, retries included. It is
// plain data passed by value.
type Outcome struct {
	Table    int // index of the table in the service
	Op       Op
	Result   Result
	Start    sim.Time // when the client issued the first attempt
	End      sim.Time // when the client saw the final response
	Attempts int
	// Reason is the last throttle reason when Result is Throttled.
	Reason ThrottleReason
}

// Latency is the client-observed time from first attempt to final response.
func (o *Outcome) Latency() sim.Time { return o.End - o.Start }

// Recorder receives what happens during a run. reports.Collector
// implements it; the model and the clients call it, never the reverse.
// Calls arrive in non-decreasing virtual time.
type Recorder interface {
	// Consumed records capacity consumed on a table by one admitted attempt.
	Consumed(now sim.Time, table int, read, write Units)
	// Throttle records one throttled attempt (a throttle event).
	Throttle(now sim.Time, table int, op Op, reason ThrottleReason)
	// Retry records that the client scheduled a retry.
	Retry(now sim.Time, table int, op Op)
	// Finish records a request's final outcome.
	Finish(o Outcome)
}
