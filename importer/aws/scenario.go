package aws

import (
	"fmt"
	"strings"

	"github.com/ddbsim/ddbsim/scenarios"
)

// Scenario maps the table onto the scenario format's Table as far as the
// format goes, with a note for each thing it could not carry over or
// assumed. Where the inputs are silent it holds the parser's defaults
// (1 KiB items, one item per key, standard class, full coverage); an
// index's ProjectedSize and Keys are left for the parser to default.
func (t TableSpec) Scenario() (scenarios.Table, []string) {
	var notes []string
	note := func(format string, args ...any) {
		notes = append(notes, "table "+t.Name+": "+fmt.Sprintf(format, args...))
	}
	out := scenarios.Table{
		Name:          t.Name,
		PartitionKey:  t.PartitionKey.Name,
		SortKey:       t.SortKey.Name,
		ReadCapacity:  t.Provisioned.Reads,
		WriteCapacity: t.Provisioned.Writes,
	}
	switch t.BillingMode {
	case "PAY_PER_REQUEST":
		out.Mode = "on-demand"
		out.ReadCapacity, out.WriteCapacity = 0, 0
	case "PROVISIONED":
		out.Mode = "provisioned"
	default:
		note("no billing mode in the inputs: provisioned assumed")
		out.Mode = "provisioned"
	}
	if out.PartitionKey == "" {
		note("no key schema in the inputs")
	}
	out.AutoScaling = autoScaling(t.ReadScaling, t.WriteScaling, t.Sources, "", note)
	if out.Mode == "on-demand" && out.AutoScaling != nil {
		note("auto scaling dropped: the table is on-demand")
		out.AutoScaling = nil
	}
	// The parser's defaults where the inputs are silent, so the table is
	// the one a scenario file saying the same would parse to.
	out.Items = scenarios.Items{Size: 1 << 10, PerKey: 1}
	if out.Mode == "provisioned" {
		out.ReadCapacity = startingCapacity(out.ReadCapacity, out.AutoScaling, "read", note)
		out.WriteCapacity = startingCapacity(out.WriteCapacity, out.AutoScaling, "write", note)
	}
	if _, ok := t.Sources["ItemCount"]; ok {
		out.Items.Count = t.ItemCount
	}
	if size, ok := t.MeanItemSize(); ok {
		out.Items.Size = max(size, 1)
	} else {
		note("no ItemCount and TableSizeBytes: 1 KiB items assumed")
	}
	out.TableClass = "standard"
	if t.TableClass == "STANDARD_INFREQUENT_ACCESS" {
		out.TableClass = "standard-ia"
	}
	if _, ok := t.Sources["Warm"]; ok {
		out.WarmThroughput = &scenarios.Peak{Reads: float64(t.Warm.Reads), Writes: float64(t.Warm.Writes)}
	}
	if _, ok := t.Sources["OnDemandMax"]; ok {
		out.MaxThroughput = &scenarios.Peak{Reads: float64(t.OnDemandMax.Reads), Writes: float64(t.OnDemandMax.Writes)}
	}
	for _, ix := range t.GlobalIndexes {
		out.Indexes = append(out.Indexes, index(ix, false, out.Mode, note))
	}
	for _, ix := range t.LocalIndexes {
		out.Indexes = append(out.Indexes, index(ix, true, out.Mode, note))
	}
	if t.StreamView != "" {
		out.Stream = &scenarios.Stream{View: strings.ToLower(t.StreamView)}
	}
	if t.TTLAttribute != "" {
		out.TTL = &scenarios.TTL{Attribute: t.TTLAttribute}
		note("TTL on %q: how long items live is not in the inputs", t.TTLAttribute)
	}
	if len(t.Replicas) > 0 {
		out.Replicas = append([]string(nil), t.Replicas...)
		note("replicas %s: the first is taken as the home region", strings.Join(t.Replicas, ", "))
	}
	return out, notes
}

func index(ix IndexSpec, local bool, mode string, note func(string, ...any)) scenarios.Index {
	out := scenarios.Index{
		Name:         ix.Name,
		Local:        local,
		PartitionKey: ix.PartitionKey.Name,
		SortKey:      ix.SortKey.Name,
		Projection:   strings.ToLower(ix.Projection),
		Coverage:     1,
	}
	switch out.Projection {
	case "":
		out.Projection = "all"
	case "include":
		out.ProjectedChanges = 1
	}
	if len(ix.NonKeyAttributes) > 0 {
		note("index %s: projected attributes %s: the entry size is not in the inputs", ix.Name, strings.Join(ix.NonKeyAttributes, ", "))
	}
	if mode == "provisioned" && !local {
		out.ReadCapacity, out.WriteCapacity = ix.Provisioned.Reads, ix.Provisioned.Writes
		out.AutoScaling = autoScaling(ix.ReadScaling, ix.WriteScaling, ix.Sources, "index "+ix.Name+": ", note)
	}
	if _, ok := ix.Sources["OnDemandMax"]; ok {
		note("index %s: its on-demand maximum is not modelled per index", ix.Name)
	}
	if _, ok := ix.Sources["Warm"]; ok {
		note("index %s: its warm throughput is not modelled per index", ix.Name)
	}
	return out
}

// autoScaling joins read and write scaling into the scenario's one range
// and target, which apply to both: the wider range, the reads' target.
func autoScaling(reads, writes Scaling, sources map[string]string, label string, note func(string, ...any)) *scenarios.AutoScaling {
	has := func(field string) bool { _, ok := sources[field]; return ok }
	hasReads, hasWrites := has("ReadScaling.Max"), has("WriteScaling.Max")
	if !hasReads && !hasWrites {
		return nil
	}
	pick := func(s Scaling, field string) *scenarios.AutoScaling {
		a := &scenarios.AutoScaling{Min: s.Min, Max: s.Max, Target: 0.7}
		if has(field + ".Target") {
			a.Target = s.Target / 100
		} else {
			note("%s%s: no target tracking policy in the inputs: 70%% assumed", label, field)
		}
		return a
	}
	switch {
	case hasReads && !hasWrites:
		note("%sauto scaling on reads only: applied to both", label)
		return pick(reads, "ReadScaling")
	case hasWrites && !hasReads:
		note("%sauto scaling on writes only: applied to both", label)
		return pick(writes, "WriteScaling")
	}
	a := pick(reads, "ReadScaling")
	if reads != writes {
		note("%sreads scale %d-%d at %g%%, writes %d-%d at %g%%: one range %d-%d at the reads' target used for both",
			label, reads.Min, reads.Max, reads.Target, writes.Min, writes.Max, writes.Target, min(reads.Min, writes.Min), max(reads.Max, writes.Max))
		a.Min, a.Max = min(reads.Min, writes.Min), max(reads.Max, writes.Max)
	}
	return a
}

// startingCapacity is a provisioned table's capacity, or, when the inputs
// give none (a global table's template states only auto scaling), the
// auto scaling minimum. With neither it stays 0 and a note says so.
func startingCapacity(units int64, a *scenarios.AutoScaling, what string, note func(string, ...any)) int64 {
	switch {
	case units > 0:
		return units
	case a != nil && a.Min > 0:
		note("no provisioned %s capacity in the inputs: the auto scaling minimum %d taken", what, a.Min)
		return a.Min
	}
	note("no provisioned %s capacity in the inputs", what)
	return 0
}
