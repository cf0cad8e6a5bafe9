package calc

// Read and write capacity units: what one request costs, shown as the
// model computes it (units.ReadUnits, QueryUnits, BatchGetUnits,
// WriteUnits, PutUnits, BatchWriteUnits), times its rate.

import (
	"fmt"
	"math"
	"strings"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/store"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/reports"
)

// The block sizes the steps show (REFERENCE: units): the model rounds to
// them; here they only name what it rounded to.
const (
	readBlock  = 4 * 1024
	writeBlock = 1024
)

// ReadCost is `calc rcu`: what one request of op costs, and times its rate.
type ReadCost struct {
	RCU             float64 `json:"rcu"`
	Provision       int64   `json:"provision_rcu"` // whole units to provision
	UnitsPerRequest float64 `json:"units_per_request"`
	Op              string  `json:"op"`
	Consistency     string  `json:"consistency"`
	ItemSizes       []int   `json:"item_sizes_bytes"`
	RatePerS        float64 `json:"rate_per_s"`
	Pages           int     `json:"pages,omitempty"` // query and scan
	// Other is what the other way of reading the same items costs: a
	// BatchGetItem for a Query or Scan, a Query for a BatchGetItem.
	Other *OtherCost `json:"other,omitempty"`
	Steps []string   `json:"steps"`
}

// OtherCost is what the other way of reading the same items costs.
type OtherCost struct {
	Op              string  `json:"op"`
	UnitsPerRequest float64 `json:"units_per_request"`
}

// WriteCost is `calc wcu`.
type WriteCost struct {
	WCU             float64  `json:"wcu"`
	UnitsPerRequest float64  `json:"units_per_request"`
	Op              string   `json:"op"`
	Transactional   bool     `json:"transactional"`
	ItemSizes       []int    `json:"item_sizes_bytes"`
	OldSize         *int     `json:"old_size_bytes,omitempty"`
	RatePerS        float64  `json:"rate_per_s"`
	Steps           []string `json:"steps"`
}

// Read prices reading sizes (one item for get) with op at c, rate
// times a second.
func Read(op string, sizes []int, c units.Consistency, rate float64) (*ReadCost, error) {
	if c == units.Transactional && op != "get" {
		return nil, Errorf("a transactional read is a TransactGetItems of items: use --op get (each item costs 2 units per 4 KB)")
	}
	if err := checkRate("rate", "", rate); err != nil {
		return nil, err
	}
	r := &ReadCost{Op: op, Consistency: c.String(), ItemSizes: sizes, RatePerS: rate}
	var per units.Units
	switch op {
	case "get":
		expr, u := readExpr(sizes[0], c, "a missing item")
		per = u
		r.Steps = append(r.Steps, expr+rateExpr(u, rate, "RCU"))
	case "batch_get":
		if n := len(sizes); n == 0 || n > model.MaxBatchGetItems {
			return nil, Errorf("a BatchGetItem reads 1 to %d items, not %d (--items)", model.MaxBatchGetItems, n)
		}
		per = units.BatchGetUnits(sizes, c)
		r.Steps = append(r.Steps, "BatchGetItem rounds each item, then sums: "+eachExpr(sizes, func(s int) (string, units.Units) {
			return readExpr(s, c, "a missing item")
		}, per)+rateExpr(per, rate, "RCU"))
		q := readPages(sizes, c)
		r.Other = &OtherCost{Op: "query", UnitsPerRequest: q.total.Float()}
		r.Steps = append(r.Steps, fmt.Sprintf("a Query reading the same items (one item collection) sums, then rounds once: %s%s",
			q.expr, versus(q.total, per)))
	case "query", "scan":
		q := readPages(sizes, c)
		per = q.total
		r.Pages = len(q.pages)
		what := "Query"
		if op == "scan" {
			what = "Scan"
		}
		r.Steps = append(r.Steps, fmt.Sprintf("%s sums the sizes of the items it reads, then rounds once: %s%s",
			what, q.expr, rateExpr(per, rate, "RCU")))
		if op == "scan" {
			r.Steps = append(r.Steps, "a Scan charges for every item it evaluates, not only those a filter keeps")
		}
		if len(sizes) > 0 && len(sizes) <= model.MaxBatchGetItems {
			b := units.BatchGetUnits(sizes, c)
			r.Other = &OtherCost{Op: "batch_get", UnitsPerRequest: b.Float()}
			r.Steps = append(r.Steps, "BatchGetItem of the same items rounds each item, then sums: "+eachExpr(sizes, func(s int) (string, units.Units) {
				return readExpr(s, c, "a missing item")
			}, b)+versus(b, per))
		}
	}
	r.UnitsPerRequest = per.Float()
	r.RCU = per.Float() * rate
	r.Provision = int64(math.Ceil(r.RCU - 1e-9))
	if r.RCU != float64(r.Provision) {
		r.Steps = append(r.Steps, fmt.Sprintf("capacity is provisioned in whole units: %s RCU", Num(float64(r.Provision))))
	}
	return r, nil
}

// pagesOf is a Query or Scan split into 1 MB pages.
type pagesOf struct {
	pages [][]int
	total units.Units
	expr  string
}

// readPages prices a Query or Scan of items: a page reads items while
// the store's page rule takes them (store.PageTakes: the item that would
// take a page past 1 MB starts the next), and each page is priced by
// units.QueryUnits on the bytes it read.
func readPages(sizes []int, c units.Consistency) pagesOf {
	var p pagesOf
	var page []int
	read := 0
	for _, s := range sizes {
		if !store.PageTakes(len(page), read, s, 0) {
			p.pages = append(p.pages, page)
			page, read = nil, 0
		}
		page = append(page, s)
		read += s
	}
	p.pages = append(p.pages, page)
	var parts []string
	for _, pg := range p.pages {
		bytes := 0
		for _, s := range pg {
			bytes += s
		}
		// QueryUnits is ReadUnits of the page's bytes, which readExpr
		// shows (TestCalcReadUnits pins the two together).
		expr, _ := readExpr(bytes, c, "nothing read")
		p.total += units.QueryUnits(bytes, c)
		parts = append(parts, sumExpr(pg)+expr)
	}
	if len(p.pages) == 1 {
		p.expr = parts[0]
		return p
	}
	p.expr = fmt.Sprintf("%d pages of at most 1 MB, each rounded: (%s) = %s", len(p.pages), strings.Join(parts, "), ("), unitsText(p.total))
	return p
}

// sumExpr writes the sum of a page's item sizes, to be followed by the
// total: "10 items x 4.08 KB = ", "6 KB + 2 KB = "; "" for one item.
func sumExpr(sizes []int) string {
	if len(sizes) <= 1 {
		return ""
	}
	total := 0
	for _, s := range sizes {
		total += s
	}
	same := true
	for _, s := range sizes {
		same = same && s == sizes[0]
	}
	if same {
		return fmt.Sprintf("%s items x %s = ", reports.Commas(int64(len(sizes))), Size(sizes[0]))
	}
	if len(sizes) > 6 {
		return fmt.Sprintf("%d items add up to ", len(sizes))
	}
	var parts []string
	for _, s := range sizes {
		parts = append(parts, Size(s))
	}
	return strings.Join(parts, " + ") + " = "
}

// eachExpr writes items priced one by one: "10 x (6 KB rounds up to 8 KB
// = 2 units) = 20 units", or one term each when the sizes differ.
func eachExpr(sizes []int, price func(int) (string, units.Units), total units.Units) string {
	same := true
	for _, s := range sizes {
		same = same && s == sizes[0]
	}
	if same && len(sizes) > 1 {
		expr, _ := price(sizes[0])
		return fmt.Sprintf("%s x (%s) = %s", reports.Commas(int64(len(sizes))), expr, unitsText(total))
	}
	var parts []string
	if len(sizes) > 6 {
		return fmt.Sprintf("%d items of different sizes = %s", len(sizes), unitsText(total))
	}
	for _, s := range sizes {
		expr, _ := price(s)
		parts = append(parts, expr)
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return "(" + strings.Join(parts, ") + (") + ") = " + unitsText(total)
}

// readExpr shows how the model prices reading size bytes at c: "6 KB
// rounds up to 8 KB = 2 units / 2 = 1 unit". zero names a read of
// nothing, which costs the minimum.
func readExpr(size int, c units.Consistency, zero string) (string, units.Units) {
	blocks := units.ReadUnits(size, units.Strong) // one unit per 4 KB block
	u := units.ReadUnits(size, c)
	s := roundExpr(size, blocks, readBlock, zero)
	return s + factorExpr(blocks, u), u
}

// writeExpr is readExpr for writes.
func writeExpr(size int, transactional bool, zero string) (string, units.Units) {
	blocks := units.WriteUnits(size, units.Strong)
	c := units.Strong
	if transactional {
		c = units.Transactional
	}
	u := units.WriteUnits(size, c)
	return roundExpr(size, blocks, writeBlock, zero) + factorExpr(blocks, u), u
}

func roundExpr(size int, blocks units.Units, block int, zero string) string {
	rounded := int(blocks.Float()) * block
	switch {
	case size <= 0:
		return fmt.Sprintf("%s costs the minimum, %s", zero, unitsText(blocks))
	case size == rounded:
		return fmt.Sprintf("%s = %s", Size(size), unitsText(blocks))
	}
	return fmt.Sprintf("%s rounds up to %s = %s", Size(size), Size(rounded), unitsText(blocks))
}

// factorExpr shows the consistency factor the model applied to blocks.
func factorExpr(blocks, u units.Units) string {
	switch {
	case u < blocks:
		return fmt.Sprintf(" / %s = %s", Num(blocks.Float()/u.Float()), unitsText(u))
	case u > blocks:
		return fmt.Sprintf(" x %s = %s", Num(u.Float()/blocks.Float()), unitsText(u))
	}
	return ""
}

// rateExpr: " x 10/s = 20 RCU".
func rateExpr(u units.Units, rate float64, unit string) string {
	return fmt.Sprintf(" x %s/s = %s %s", Num(rate), Num(u.Float()*rate), unit)
}

// versus compares the other way of reading the same items with this
// one: ", 9 units more".
func versus(other, this units.Units) string {
	switch {
	case other > this:
		return fmt.Sprintf(", %s more", unitsText(other-this))
	case other < this:
		return fmt.Sprintf(", %s fewer", unitsText(this-other))
	}
	return ", the same"
}

// Write prices writing sizes with op, rate times a second. old is the
// size of the item a put or update replaces, -1 for none.
func Write(op string, sizes []int, old int, transactional bool, rate float64) (*WriteCost, error) {
	if transactional && (op == "batch_write" || old >= 0) {
		return nil, Errorf("--transactional is a TransactWriteItems of single puts, updates or deletes: not with batch_write or --old-size")
	}
	if err := checkRate("rate", "", rate); err != nil {
		return nil, err
	}
	r := &WriteCost{Op: op, Transactional: transactional, ItemSizes: sizes, RatePerS: rate}
	var per units.Units
	switch op {
	case "put", "update":
		if old < 0 {
			expr, u := writeExpr(sizes[0], transactional, "an empty item")
			per = u
			r.Steps = append(r.Steps, expr+rateExpr(u, rate, "WCU"))
			break
		}
		r.OldSize = &old
		per = units.PutUnits(old, sizes[0], true)
		expr, _ := writeExpr(max(old, sizes[0]), false, "an empty item") // the size PutUnits charges
		what := "PutItem over an existing item"
		if op == "update" {
			what = "UpdateItem"
		}
		r.Steps = append(r.Steps, fmt.Sprintf("%s charges the larger of the old (%s) and new (%s) item: %s%s",
			what, Size(old), Size(sizes[0]), expr, rateExpr(per, rate, "WCU")))
	case "delete":
		if transactional {
			expr, u := writeExpr(sizes[0], true, "deleting a missing item")
			per = u
			r.Steps = append(r.Steps, "DeleteItem charges the deleted item's size: "+expr+rateExpr(u, rate, "WCU"))
			break
		}
		per = units.DeleteUnits(sizes[0], sizes[0] > 0)
		expr, _ := writeExpr(sizes[0], false, "deleting a missing item")
		r.Steps = append(r.Steps, "DeleteItem charges the deleted item's size: "+expr+rateExpr(per, rate, "WCU"))
	case "batch_write":
		if n := len(sizes); n == 0 || n > model.MaxBatchWriteItems {
			return nil, Errorf("a BatchWriteItem writes 1 to %d items, not %d (--items)", model.MaxBatchWriteItems, n)
		}
		per = units.BatchWriteUnits(sizes)
		r.Steps = append(r.Steps, "BatchWriteItem rounds each item: "+eachExpr(sizes, func(s int) (string, units.Units) {
			return writeExpr(s, false, "an empty item")
		}, per)+rateExpr(per, rate, "WCU"))
		r.Steps = append(r.Steps, "the same as writing them one by one: a batch saves round trips, not units")
	}
	r.UnitsPerRequest = per.Float()
	r.WCU = per.Float() * rate
	return r, nil
}
