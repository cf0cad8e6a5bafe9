package units

import "strconv"

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

// Capacity-unit arithmetic (REFERENCE: units). Every function returns Units,
// thousandths of a capacity unit, so that the half unit of an eventually
// consistent read stays an exact integer. KB is 1024 bytes.

// Service limits on item sizes (REFERENCE: units).
const (
	// MaxItemSize is the largest item the service stores: 400 KB.
	MaxItemSize = 400 * 1024
	// StorageOverheadPerItem is what storage billing adds to every item's
	// size: 100 bytes.
	StorageOverheadPerItem = 100
	// GlobalTableStorageOverhead is what storage billing adds to every
	// item of a global table's replica on top of StorageOverheadPerItem:
	// 48 bytes, for the attributes the service keeps to replicate it
	// (REFERENCE: units, "global tables: +48 B more"; AWS Developer Guide,
	// "DynamoDB item sizes and formats", CapacityUnitCalculations.html).
	GlobalTableStorageOverhead = 48
)

const (
	readBlock  = 4 * 1024 // a read unit covers up to 4 KB
	writeBlock = 1024     // a write unit covers up to 1 KB
)

// blocks rounds size up to whole blocks, and at least one: the service
// charges a missing item, an empty result and an empty write as one block.
func blocks(size, block int) int64 {
	if size <= 0 {
		return 1
	}
	n := size / block
	if size%block != 0 {
		n++
	}
	return int64(n)
}

// readFactor is what one 4 KB read block costs at a consistency, in
// thousandths. An unknown consistency is charged as strong.
func readFactor(c Consistency) Units {
	switch c {
	case Eventual:
		return Unit / 2
	case Transactional:
		return 2 * Unit
	}
	return Unit
}

// ReadUnits prices reading one item of size bytes.
//
// REFERENCE: units — "Sizes round UP to a 4 KB multiple first, then the
// consistency factor applies": 1 unit per 4 KB strong, 0.5 eventual, 2
// transactional. "Reading a missing item still costs 1 (strong) / 0.5
// (eventual)": size 0 (a missing item) costs one block, so 2 units
// transactional.
func ReadUnits(size int, c Consistency) Units {
	return Units(blocks(size, readBlock)) * readFactor(c)
}

// WriteUnits prices writing (or deleting) one item of size bytes.
//
// REFERENCE: units — "an item up to 1 KB costs 1 write unit, 2
// transactional; sizes round UP to a 1 KB multiple." Every write costs at
// least one unit, so a delete of a missing item (size 0) costs 1.
// Consistency matters only as Transactional, which doubles the price.
func WriteUnits(size int, c Consistency) Units {
	u := Units(blocks(size, writeBlock)) * Unit
	if c == Transactional {
		u *= 2
	}
	return u
}

// QueryUnits prices one Query page that read readBytes in total.
//
// REFERENCE: units — "Query sums the sizes of all items it reads and rounds
// once." An empty result still costs the minimum read (one block).
func QueryUnits(readBytes int, c Consistency) Units { return ReadUnits(readBytes, c) }

// ScanUnits prices one Scan page that evaluated readBytes in total.
//
// REFERENCE: units — "Scan charges for every item it evaluates, not what a
// filter keeps"; like Query, the sizes are summed and rounded once.
func ScanUnits(readBytes int, c Consistency) Units { return ReadUnits(readBytes, c) }

// BatchGetUnits prices a BatchGetItem of items with the given sizes (0 for
// a missing item).
//
// REFERENCE: units — "BatchGetItem ... rounds each item separately, then
// sums." So it never costs less than a Query reading the same items.
func BatchGetUnits(sizes []int, c Consistency) Units {
	var u Units
	for _, s := range sizes {
		u += ReadUnits(s, c)
	}
	return u
}

// BatchWriteUnits prices a BatchWriteItem of puts and deletes with the
// given item sizes (for a put, the size PutUnits would use).
//
// REFERENCE: units — "BatchWriteItem (<=25 put/delete, no updates) rounds
// each item separately."
func BatchWriteUnits(sizes []int) Units {
	var u Units
	for _, s := range sizes {
		u += WriteUnits(s, Strong)
	}
	return u
}

// PutUnits prices a PutItem or UpdateItem writing an item of newSize bytes
// over an item of oldSize bytes (existed false: there was none).
//
// REFERENCE: units — "PutItem over an existing item and UpdateItem charge
// the larger of the old and new item."
func PutUnits(oldSize, newSize int, existed bool) Units {
	if existed {
		return WriteUnits(max(oldSize, newSize), Strong)
	}
	return WriteUnits(newSize, Strong)
}

// DeleteUnits prices a DeleteItem of an item of oldSize bytes.
//
// REFERENCE: units — "DeleteItem charges the deleted item's size"; a
// missing item costs the 1-unit minimum.
func DeleteUnits(oldSize int, existed bool) Units {
	if !existed {
		oldSize = 0
	}
	return WriteUnits(oldSize, Strong)
}

// ConditionalFailureUnits prices a write whose condition failed.
//
// REFERENCE: units — "A conditional write whose condition fails still
// consumes write units: the new item's size if the item existed, 1 unit if
// it did not." oldSize is not used by that rule; it is a parameter so
// callers pass what they know and a change of rule stays local.
func ConditionalFailureUnits(oldSize int, existed bool, newSize int) Units {
	if !existed {
		return Unit
	}
	return WriteUnits(newSize, Strong)
}
