package reports

import (
	"slices"
	"strings"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/billing"
	"github.com/ddbsim/ddbsim/model/units"
)

// Names and orders every output shares: how a table, a replica, an index
// or a line item is called for people, and the order tables, operations and
// throttle reasons are listed in.

// TableLabel names a table row: its name; for a global secondary index
// "<index> (index of <table>)"; for a global table's replica "<table>
// (<region> replica)", and its home table "<table> (<region>)".
func TableLabel(t *TableResult) string {
	if t.Index != "" {
		return SafeName(t.Index) + " (index of " + ReplicaLabel(t.Table) + ")"
	}
	if home, ok := ReplicaOf(t); ok {
		return SafeName(home) + " (" + SafeName(t.Region) + " replica)"
	}
	if t.Region != "" {
		return SafeName(t.Name) + " (" + SafeName(t.Region) + ")"
	}
	return SafeName(t.Name)
}

// ReplicaOf is the home table of a global table's replica, named
// "<table>@<region>" by the service (a table's name cannot hold "@").
func ReplicaOf(t *TableResult) (string, bool) {
	if t.Index != "" || t.Region == "" {
		return "", false
	}
	return strings.CutSuffix(t.Name, "@"+t.Region)
}

// ReplicaLabel names a table known only by name, as an index's table is:
// a replica's "<table>@<region>" reads "<table>, <region> replica".
func ReplicaLabel(name string) string {
	if i := strings.LastIndexByte(name, '@'); i > 0 {
		return SafeName(name[:i]) + ", " + SafeName(name[i+1:]) + " replica"
	}
	return SafeName(name)
}

// TableOrder lists the indexes of tables with each table followed by its
// global secondary indexes (the service lists every index after every
// table), then its replicas in other regions (the service lists them
// after the scenario's tables), each followed by its own indexes; then
// any index or replica whose table is not in the list.
func TableOrder(tables []TableResult) []int {
	order := make([]int, 0, len(tables))
	placed := make([]bool, len(tables))
	var place func(i int)
	place = func(i int) {
		order = append(order, i)
		placed[i] = true
		for j := range tables {
			if !placed[j] && tables[j].Index != "" && tables[j].Table == tables[i].Name {
				order = append(order, j)
				placed[j] = true
			}
		}
		if _, ok := ReplicaOf(&tables[i]); ok {
			return
		}
		for j := range tables {
			if home, ok := ReplicaOf(&tables[j]); ok && !placed[j] && home == tables[i].Name {
				place(j)
			}
		}
	}
	for i := range tables {
		if _, replica := ReplicaOf(&tables[i]); tables[i].Index != "" || replica || placed[i] {
			continue
		}
		place(i)
	}
	for i := range tables {
		if !placed[i] {
			order = append(order, i)
		}
	}
	return order
}

// OpOrder lists the operations of m in their canonical order (reads before
// writes, as scenario files list them), then any unknown names sorted.
func OpOrder(m map[string]OpResult) []string {
	var names []string
	for _, n := range units.OpNames() {
		if _, ok := m[n]; ok {
			names = append(names, n)
		}
	}
	var other []string
	for n := range m {
		if _, ok := units.ParseOp(n); !ok {
			other = append(other, n)
		}
	}
	slices.Sort(other)
	return append(names, other...)
}

// ReasonOrder lists the reasons of m in the model's order, then any
// unknown names sorted.
func ReasonOrder(m map[string]int64) []string {
	var names []string
	known := map[string]bool{}
	for r := model.NotThrottled + 1; r < model.NumThrottleReasons; r++ {
		n := r.String()
		known[n] = true
		if _, ok := m[n]; ok {
			names = append(names, n)
		}
	}
	var other []string
	for n := range m {
		if !known[n] {
			other = append(other, n)
		}
	}
	slices.Sort(other)
	return append(names, other...)
}

// OptionalLineItem reports whether a line item belongs to a feature a run
// may not use (DAX, global tables, TTL, stream readers): reports leave it
// out unless something was billed on it.
func OptionalLineItem(item string) bool {
	switch item {
	case billing.ItemDAXNodes, billing.ItemReplicatedWriteCapacity, billing.ItemReplicatedWriteRequests,
		billing.ItemTTLDeletes, billing.ItemStreamReads:
		return true
	}
	return false
}

// LineItemLabel names a bill's line item for people: "read capacity",
// "DAX nodes", "replicated write requests".
func LineItemLabel(item string) string {
	switch item {
	case billing.ItemDAXNodes:
		return "DAX nodes"
	case billing.ItemTTLDeletes:
		return "replicated TTL deletes"
	}
	return strings.ReplaceAll(item, "_", " ")
}
