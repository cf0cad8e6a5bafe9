package scenarios

// Limits that span the file: the per-table throughput quotas, and the
// largest table ddbsim simulates.
//
// Capacities are read with their tables, but the quota they must fit is
// raised by the service: mapping (table_read_quota, table_write_quota),
// which comes later; so each capacity is noted as it is read and checked
// once service: is read.

import (
	"fmt"

	"gopkg.in/yaml.v3"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/capacity"
)

// quotaSide is which per-table quota a capacity counts against.
type quotaSide int

const (
	quotaRead quotaSide = iota
	quotaWrite
	// quotaBoth is auto scaling's min and max, which bound the read and
	// the write capacity alike.
	quotaBoth
)

// quotaCheck is one capacity to check against its quota.
type quotaCheck struct {
	n     *yaml.Node
	field string
	side  quotaSide
	v     float64
	// rate marks on-demand units per second (previous_peak,
	// warm_throughput, max_throughput) rather than provisioned units.
	rate bool
}

const (
	// maxQuota bounds service.table_read_quota and table_write_quota: a
	// table at 100M write units spans 100,000 partitions (REFERENCE:
	// partitions, 1,000 write units each), maxTablePartitions.
	maxQuota = 100_000_000
	// maxTablePartitions bounds a table's partitions: ddbsim keeps each
	// partition's state in memory (about 1.4 KB), and a million of them
	// takes over a gigabyte and seconds to set up. The service publishes
	// no limit; 100,000 partitions hold about 1 PB at 10 GB each.
	maxTablePartitions = 100_000
	// maxTableBytes is what maxTablePartitions hold (REFERENCE:
	// partitions, "holds about 10 GB"): a table's preloaded items beyond
	// it would need more partitions.
	maxTableBytes = maxTablePartitions * capacity.PartitionSizeLimit
)

// quota notes a capacity, in units or (rate) units per second, to check
// against its quota once the whole scenario is read.
func (p *parser) quota(n *yaml.Node, field string, side quotaSide, v float64, rate bool) {
	p.quotas = append(p.quotas, quotaCheck{n: n, field: field, side: side, v: v, rate: rate})
}

// checkQuotas reports the capacities noted by quota that are above the
// per-table quota: 40,000 read and 40,000 write units by default
// (REFERENCE: provisioned, "default quota 40,000 per table"; ondemand,
// "Default table quota 40,000 read and 40,000 write units/s"), or what sp
// raises them to. A GSI has quotas of its own, equal to its table's.
func (p *parser) checkQuotas(sp ServiceParams) {
	def := model.DefaultParams()
	rq, wq := def.TableReadQuota, def.TableWriteQuota
	// A bad quota is reported where it is written; keep the default.
	if q := sp.TableReadQuota; q != nil && *q >= 1 && *q <= maxQuota {
		rq = *q
	}
	if q := sp.TableWriteQuota; q != nil && *q >= 1 && *q <= maxQuota {
		wq = *q
	}
	for _, c := range p.quotas {
		var q int64
		var which, raise string
		switch c.side {
		case quotaRead:
			q, which, raise = rq, "read quota", "service: {table_read_quota: N}"
		case quotaWrite:
			q, which, raise = wq, "write quota", "service: {table_write_quota: N}"
		default:
			q, which, raise = min(rq, wq), "read and write quotas", "service: {table_read_quota: N, table_write_quota: N}"
		}
		if c.v <= float64(q) {
			continue
		}
		unit, section := "units", "provisioned"
		if c.rate {
			unit, section = "units/s", "ondemand"
		}
		p.errorf(c.n, "%s: %s is above the per-table %s of %d %s (REFERENCE: %s); if the account's quota was raised, say so with %s",
			c.field, c.n.Value, which, q, unit, section, raise)
	}
}

// tableSize reports preloaded items beyond what ddbsim simulates in one
// table (maxTableBytes); n is the items mapping.
func (p *parser) tableSize(n *yaml.Node, it Items) {
	if it.Count <= 0 || it.Size <= 0 || it.Count <= maxTableBytes/it.Size {
		return
	}
	total := float64(it.Count) * float64(it.Size) // may pass an int64: kept a float64
	p.errorf(n, "items: %d items of %s (%s) are more than the %s ddbsim simulates in one table (%d partitions of 10GB)",
		it.Count, fmtBytes(it.Size), fmtByteCount(total), fmtBytes(maxTableBytes), maxTablePartitions)
}

// fmtBytes writes a size in the largest unit that keeps it whole or
// nearly so: 2KB, 1.5MB, 931.3TB.
func fmtBytes(b int64) string { return fmtByteCount(float64(b)) }

// fmtByteCount is fmtBytes of a count of bytes that may be beyond an
// int64 (a product of two), written in EB rather than wrapped.
func fmtByteCount(f float64) string {
	units := []string{"B", "KB", "MB", "GB", "TB", "PB", "EB", "ZB"}
	i := 0
	for f >= 1024 && i < len(units)-1 {
		f /= 1024
		i++
	}
	s := fmt.Sprintf("%.1f", f)
	if len(s) > 2 && s[len(s)-2:] == ".0" {
		s = s[:len(s)-2]
	}
	return s + units[i]
}
