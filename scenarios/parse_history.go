package scenarios

// What CloudWatch recorded for the scenario's tables over the window it
// was imported from (history:): the totals a real bill is made of, which
// compare prices beside the simulated bill.

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

var tableHistoryKeys = []string{
	"table", "mode", "read_units", "write_units",
	"read_capacity_hours", "write_capacity_hours", "missing_minutes",
}

// history reads history: {from, to, tables}; tables are the scenario's.
func (p *parser) history(n *yaml.Node, tables []Table) *History {
	h := &History{Pos: pos(n)}
	f, ok := p.fields(n, "history", "from", "to", "tables")
	if !ok {
		return h
	}
	var fromNode, toNode *yaml.Node
	var fromOK, toOK bool
	if fromNode = p.require(f, "from", "the window's start, such as from: 2026-11-01T00:00:00Z"); fromNode != nil {
		h.From, fromOK = p.instant(fromNode, "history.from")
	}
	if toNode = p.require(f, "to", "the window's end, such as to: 2026-12-01T00:00:00Z"); toNode != nil {
		h.To, toOK = p.instant(toNode, "history.to")
	}
	if fromOK && toOK && !h.From.Before(h.To) {
		p.errorf(toNode, "history.to (%s) must be after history.from (%s)", toNode.Value, fromNode.Value)
	}
	// The window's minutes bound each table's missing ones.
	minutes := int64(-1)
	if fromOK && toOK && h.From.Before(h.To) {
		minutes = int64(math.Ceil(h.To.Sub(h.From).Minutes()))
	}
	var names []string
	for _, t := range tables {
		if t.Name != "" {
			names = append(names, t.Name)
		}
	}
	if v := p.require(f, "tables", "one entry per table, such as tables: [{table: orders, mode: on-demand, write_units: 259.2M}]"); v != nil {
		first := map[string]*yaml.Node{}
		for _, it := range p.list(v, "history.tables", "give one entry per table the history covers") {
			th, nameNode := p.tableHistory(it, names, minutes)
			if th.Table != "" && nameNode != nil {
				if prev := first[th.Table]; prev != nil {
					p.errorf(nameNode, "history.tables: table %q is named twice (first at line %d)", th.Table, prev.Line)
					continue
				}
				first[th.Table] = nameNode
			}
			h.Tables = append(h.Tables, th)
		}
	}
	return h
}

// instant reads an RFC 3339 time, such as 2026-11-01T00:00:00Z, in UTC.
func (p *parser) instant(n *yaml.Node, field string) (time.Time, bool) {
	s, ok := p.scalar(n, field, "an RFC 3339 time such as 2026-11-01T00:00:00Z")
	if !ok {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		p.errorf(n, "%s: expected an RFC 3339 time such as 2026-11-01T00:00:00Z, got %s", field, describe(n))
		return time.Time{}, false
	}
	return t.UTC(), true
}

// tableHistory reads one table's totals. names are the scenario's tables;
// minutes is the window's length in minutes, -1 when it is in error.
func (p *parser) tableHistory(n *yaml.Node, names []string, minutes int64) (th TableHistory, nameNode *yaml.Node) {
	th = TableHistory{Pos: pos(n)}
	f, ok := p.fields(n, "history.tables entry", tableHistoryKeys...)
	if !ok {
		return th, nil
	}
	if nameNode = p.require(f, "table", "the name of one of the tables"); nameNode != nil {
		th.Table = p.str(nameNode, "history.tables.table")
		if th.Table != "" && len(names) > 0 && !slices.Contains(names, th.Table) {
			if s := suggest(th.Table, names); s != "" {
				p.errorf(nameNode, "history.tables.table: no table named %q; did you mean %q?", th.Table, s)
			} else {
				p.errorf(nameNode, "history.tables.table: no table named %q (tables: %s)", th.Table, strings.Join(names, ", "))
			}
		}
	}
	if v := p.require(f, "mode", "how the table was billed over the window: on-demand or provisioned"); v != nil {
		th.Mode = p.oneOf(v, "history.tables.mode", "on-demand", "provisioned")
	}
	units := func(key string, dst *float64) {
		if v := f.get(key); v != nil {
			*dst = p.total(v, "history.tables."+key)
		}
	}
	units("read_units", &th.ReadUnits)
	units("write_units", &th.WriteUnits)
	units("read_capacity_hours", &th.ReadCapacityHours)
	units("write_capacity_hours", &th.WriteCapacityHours)
	if th.Mode == "on-demand" {
		for k, hours := range map[string]float64{"read_capacity_hours": th.ReadCapacityHours, "write_capacity_hours": th.WriteCapacityHours} {
			if hours > 0 {
				p.errorf(f.get(k), "history.tables.%s applies to a provisioned table; an on-demand table is billed by the units it consumed (leave it out or 0)", k)
			}
		}
	}
	if v := f.get("missing_minutes"); v != nil {
		m, ok := p.count(v, "history.tables.missing_minutes")
		if ok && minutes >= 0 && m > minutes {
			p.errorf(v, "history.tables.missing_minutes (%d) is more than the %d minutes of the window", m, minutes)
		}
		th.Missing = int(min(m, math.MaxInt32))
	}
	return th, nameNode
}

// total reads a non-negative, finite total: a plain number, fractions
// allowed, or one with a suffix such as 259.2M.
func (p *parser) total(n *yaml.Node, field string) float64 {
	s, ok := p.scalar(n, field, "a number such as 259200000 or 259.2M")
	if !ok {
		return 0
	}
	if strings.HasPrefix(s, "-") {
		p.errorf(n, "%s must not be negative, got %s", field, s)
		return 0
	}
	r, ok := scaled(s)
	if !ok {
		p.errorf(n, "%s: expected a number such as 259200000 or 259.2M, got %s", field, describe(n))
		return 0
	}
	v, _ := r.Float64()
	if math.IsInf(v, 0) {
		p.errorf(n, "%s: %s is too large", field, strconv.Quote(s))
		return 0
	}
	return v
}
