package main

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/billing"
	"github.com/ddbsim/ddbsim/model/cache"
	"github.com/ddbsim/ddbsim/model/capacity"
	"github.com/ddbsim/ddbsim/model/store"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/reports"
	"github.com/ddbsim/ddbsim/scenarios"
)

// calc: the arithmetic of the exam, with the working shown. Every number
// comes from the model's own functions (model.ReadUnits, QueryUnits,
// BatchGetUnits, WriteUnits, PutUnits, BatchWriteUnits, InitialPartitions,
// Itemize, DAXNormalizedLoad), the same ones the simulator charges with,
// and every price from the embedded price file (scenarios.PriceBook); the
// code here only lays out the steps. The quiz (quiz.go) checks its
// answers with the same functions.

// The block sizes the steps show (REFERENCE: units): the model rounds to
// them; here they only name what it rounded to.
const (
	calcReadBlock  = 4 * 1024
	calcWriteBlock = 1024
)

type calcOptions struct {
	fs *pflag.FlagSet

	itemSize, rate, consistency, op, items, oldSize string
	transactional                                   bool

	rcu, wcu, size string

	hours                                 string
	reads, writes, storage, region, class string
	freeTier                              bool
	hits, misses                          string
	nodes                                 int
	nodeType                              string
	asJSON                                bool
}

// calcSubcommands are the calculations and the flags each takes, in the
// order the help lists them.
type calcSub struct {
	name  string
	flags []string
}

var calcSubcommands = []calcSub{
	{"rcu", []string{"item-size", "rate", "consistency", "transactional", "op", "items", "json"}},
	{"wcu", []string{"item-size", "rate", "transactional", "op", "items", "old-size", "json"}},
	{"partitions", []string{"rcu", "wcu", "size", "json"}},
	{"cost", []string{"rcu", "wcu", "hours", "reads", "writes", "storage", "region", "table-class", "free-tier", "json"}},
	{"dax", []string{"hits", "misses", "writes", "item-size", "nodes", "node-type", "region", "json"}},
}

func calcNames() []string {
	var out []string
	for _, s := range calcSubcommands {
		out = append(out, s.name)
	}
	return out
}

var calcCmd = &command{
	name:  "calc",
	usage: "rcu|wcu|partitions|cost|dax [FLAGS] [--json]",
	short: "capacity-unit arithmetic with the working shown",
	long: `Calc does the arithmetic of the DynamoDB exam and shows its working, with
the model's own functions (the ones the simulator charges with) and the
price file's prices:

  calc rcu --item-size 6KB --rate 10/s [--consistency strong|eventual|transactional]
           [--op get|query|scan|batch_get --items N]
      6 KB rounds up to 8 KB = 2 units x 10/s = 20 RCU. A Query or Scan sums
      its items' sizes and rounds once; BatchGetItem rounds each item, then
      sums; the other is shown for comparison. --item-size takes one size or
      a list (6KB,missing,2KB); a missing item costs the minimum.
  calc wcu --item-size 2.5KB --rate 20/s [--transactional]
           [--op put|update|delete|batch_write --items N] [--old-size SIZE]
      2.5 KB rounds up to 3 KB = 3 units x 20/s = 60 WCU.
  calc partitions --rcu 5000 --wcu 2000 [--size 50GB]
      ceil(RCU/3,000 + WCU/1,000) by throughput, ceil(size/10 GB) by size,
      the larger of the two.
  calc cost [--rcu N --wcu N] [--reads N|RATE --writes N|RATE] [--storage SIZE]
            [--hours 730] [--region us-east-1] [--table-class standard|standard-ia]
      provisioned capacity-hours and on-demand request units at the price
      file's prices, line by line, and the break-even utilisation above
      which provisioned costs less. --reads/--writes are request units over
      the hours (10M) or a rate sustained through them (100/s). With both
      modes given, both bills and the cheaper one.
  calc dax --hits 50000/s --misses 1000/s --writes 100/s --item-size 2KB
           --nodes 3 [--node-type dax.r5.large]
      the sizing rule's normalized requests per second against the
      cluster's capacity.

--json prints only JSON: {"rcu", "steps", ...}, {"wcu", ...},
{"partitions", ...}, {"total_usd", "monthly_usd", ...},
{"normalized_per_s", ...}. Exit status 2 for bad input.`,
	flags: func(fs *pflag.FlagSet) any {
		o := &calcOptions{fs: fs}
		fs.StringVar(&o.itemSize, "item-size", "", "item `SIZE` (rcu, wcu, dax): 6KB, or one size per item: 6KB,missing,2KB")
		fs.StringVar(&o.rate, "rate", "", "requests per second `RATE` (rcu, wcu): 10/s, 600/min (default 1/s)")
		fs.StringVar(&o.consistency, "consistency", "strong", "read consistency `C` (rcu): strong, eventual or transactional")
		fs.BoolVar(&o.transactional, "transactional", false, "transactional reads or writes: twice the units (rcu, wcu)")
		fs.StringVar(&o.op, "op", "", "operation `OP` (rcu: get, query, scan or batch_get; wcu: put, update, delete or batch_write)")
		fs.StringVar(&o.items, "items", "", "`N` items of --item-size per request (query, scan, batch_get, batch_write)")
		fs.StringVar(&o.oldSize, "old-size", "", "`SIZE` of the item a put or update replaces (wcu)")
		fs.StringVar(&o.rcu, "rcu", "", "provisioned read capacity `N` (partitions, cost)")
		fs.StringVar(&o.wcu, "wcu", "", "provisioned write capacity `N` (partitions, cost)")
		fs.StringVar(&o.size, "size", "", "table `SIZE` (partitions): 50GB")
		fs.StringVar(&o.hours, "hours", "", "`H` hours billed (cost; default 730, a month)")
		fs.StringVar(&o.reads, "reads", "", "on-demand read request units (cost): `N` over the hours (10M) or a rate (100/s)")
		fs.StringVar(&o.writes, "writes", "", "on-demand write request units `N` or a rate (cost); writes per second (dax)")
		fs.StringVar(&o.storage, "storage", "", "stored `SIZE` (cost): 50GB")
		fs.StringVar(&o.region, "region", "us-east-1", "price file `REGION` (cost, dax)")
		fs.StringVar(&o.class, "table-class", "standard", "table `CLASS` (cost): standard or standard-ia")
		fs.BoolVar(&o.freeTier, "free-tier", false, "take the account's free tier off (cost): 25 RCU, 25 WCU, 25 GB")
		fs.StringVar(&o.hits, "hits", "", "cache hits per second (dax): `RATE`")
		fs.StringVar(&o.misses, "misses", "", "cache misses per second (dax): `RATE`")
		fs.IntVar(&o.nodes, "nodes", 3, "DAX cluster nodes `N` (dax)")
		fs.StringVar(&o.nodeType, "node-type", "dax.r5.large", "DAX node `TYPE` (dax)")
		fs.BoolVar(&o.asJSON, "json", false, "print only JSON")
		return o
	},
	run: runCalc,
}

// calcError is bad input: a message for standard error, exit status 2.
type calcError struct{ msg string }

func (e *calcError) Error() string { return e.msg }

func calcErrorf(format string, args ...any) error {
	return &calcError{fmt.Sprintf(format, args...)}
}

func runCalc(e *env, opts any, args []string) int {
	o := opts.(*calcOptions)
	if len(args) == 0 {
		e.errorf("calc: which calculation? expected one of %s\nRun 'ddbsim help calc' for usage.", strings.Join(calcNames(), ", "))
		return exitUsage
	}
	if len(args) > 1 {
		e.errorf("calc %s: unexpected argument %q (values go in flags, such as --item-size 6KB)", args[0], args[1])
		return exitUsage
	}
	sub := args[0]
	i := slices.IndexFunc(calcSubcommands, func(s calcSub) bool { return s.name == sub })
	if i < 0 {
		e.errorf("calc: unknown calculation %q (expected one of %s)", sub, strings.Join(calcNames(), ", "))
		return exitUsage
	}
	allowed := calcSubcommands[i].flags
	var stray []string
	o.fs.Visit(func(f *pflag.Flag) {
		if !slices.Contains(allowed, f.Name) {
			stray = append(stray, "--"+f.Name)
		}
	})
	if len(stray) > 0 {
		e.errorf("calc %s: %s does not apply (calc %s takes --%s)", sub, strings.Join(stray, ", "), sub, strings.Join(allowed, ", --"))
		return exitUsage
	}
	var (
		res   any
		steps []string
		err   error
	)
	switch sub {
	case "rcu":
		var r *readCalc
		r, err = o.readCalc()
		if err == nil {
			res, steps = r, r.Steps
		}
	case "wcu":
		var r *writeCalc
		r, err = o.writeCalc()
		if err == nil {
			res, steps = r, r.Steps
		}
	case "partitions":
		var r *partitionCalc
		r, err = o.partitionCalc()
		if err == nil {
			res, steps = r, r.Steps
		}
	case "cost":
		var r *costCalc
		r, err = o.costCalc()
		if err == nil {
			res, steps = r, r.Steps
		}
	case "dax":
		var r *daxCalc
		r, err = o.daxCalc()
		if err == nil {
			res, steps = r, r.Steps
		}
	}
	if err != nil {
		e.errorf("calc %s: %v", sub, err)
		if _, bad := err.(*calcError); bad {
			return exitUsage
		}
		return exitInternal
	}
	if o.asJSON {
		out, err := json.MarshalIndent(res, "", "  ")
		if err != nil {
			e.errorf("calc %s: %v", sub, err)
			return exitInternal
		}
		fmt.Fprintf(e.stdout, "%s\n", out)
		return exitOK
	}
	for _, s := range steps {
		fmt.Fprintln(e.stdout, s)
	}
	return exitOK
}

// ---- reads and writes

// readCalc is `calc rcu`: what one request of op costs, and times its rate.
type readCalc struct {
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
	Other *otherCost `json:"other,omitempty"`
	Steps []string   `json:"steps"`
}

type otherCost struct {
	Op              string  `json:"op"`
	UnitsPerRequest float64 `json:"units_per_request"`
}

// writeCalc is `calc wcu`.
type writeCalc struct {
	WCU             float64  `json:"wcu"`
	UnitsPerRequest float64  `json:"units_per_request"`
	Op              string   `json:"op"`
	Transactional   bool     `json:"transactional"`
	ItemSizes       []int    `json:"item_sizes_bytes"`
	OldSize         *int     `json:"old_size_bytes,omitempty"`
	RatePerS        float64  `json:"rate_per_s"`
	Steps           []string `json:"steps"`
}

// parseSizes reads --item-size: one size, or one per item (a missing item
// is "missing" or 0B), repeated --items times when one size is given.
func (o *calcOptions) parseSizes(multi bool) ([]int, error) {
	if o.itemSize == "" {
		return nil, calcErrorf("--item-size is required: a size such as 6KB (B, KB, MB; KB = 1024 B)")
	}
	var sizes []int
	for _, f := range strings.Split(o.itemSize, ",") {
		f = strings.TrimSpace(f)
		if f == "missing" {
			sizes = append(sizes, 0)
			continue
		}
		n, err := scenarios.ParseSize(f)
		if err != nil {
			return nil, calcErrorf("--item-size: %v", err)
		}
		if n > units.MaxItemSize {
			return nil, calcErrorf("--item-size: %s is over the 400 KB item size limit", calcSize(int(n)))
		}
		sizes = append(sizes, int(n))
	}
	if !multi && len(sizes) > 1 {
		return nil, calcErrorf("--item-size: one size for this operation, got %d (a list is for query, scan, batch_get and batch_write)", len(sizes))
	}
	if o.items != "" {
		if !multi {
			return nil, calcErrorf("--items is for query, scan, batch_get and batch_write (give --op)")
		}
		n, err := scenarios.ParseCount(o.items)
		if err != nil {
			return nil, calcErrorf("--items: %v", err)
		}
		if n > 1_000_000 {
			return nil, calcErrorf("--items: %d is more than a calculation needs (at most 1,000,000)", n)
		}
		switch {
		case len(sizes) == 1:
			one := sizes[0]
			sizes = make([]int, n)
			for i := range sizes {
				sizes[i] = one
			}
		case int64(len(sizes)) != n:
			return nil, calcErrorf("--items %d but --item-size lists %d sizes: give one size, or one per item", n, len(sizes))
		}
	}
	return sizes, nil
}

func (o *calcOptions) parseRate() (float64, error) {
	if o.rate == "" {
		return 1, nil
	}
	r, err := scenarios.ParseRate(o.rate)
	if err != nil {
		return 0, calcErrorf("--rate: %v", err)
	}
	return r, nil
}

func (o *calcOptions) readCalc() (*readCalc, error) {
	c, err := calcConsistency(o.consistency, o.transactional)
	if err != nil {
		return nil, err
	}
	op := o.op
	if op == "" {
		op = "get"
	}
	switch op {
	case "get", "query", "scan", "batch_get":
	default:
		return nil, calcErrorf("--op %q: expected get, query, scan or batch_get", op)
	}
	sizes, err := o.parseSizes(op != "get")
	if err != nil {
		return nil, err
	}
	rate, err := o.parseRate()
	if err != nil {
		return nil, err
	}
	return calcRead(op, sizes, c, rate)
}

func calcConsistency(s string, transactional bool) (units.Consistency, error) {
	switch {
	case transactional && s != "strong" && s != "transactional":
		return 0, calcErrorf("--transactional and --consistency %s: a transactional read is its own consistency", s)
	case transactional:
		return units.Transactional, nil
	}
	switch s {
	case "strong":
		return units.Strong, nil
	case "eventual":
		return units.Eventual, nil
	case "transactional":
		return units.Transactional, nil
	}
	return 0, calcErrorf("--consistency %q: expected strong, eventual or transactional", s)
}

// calcRead prices reading sizes (one item for get) with op at c, rate
// times a second.
func calcRead(op string, sizes []int, c units.Consistency, rate float64) (*readCalc, error) {
	if c == units.Transactional && op != "get" {
		return nil, calcErrorf("a transactional read is a TransactGetItems of items: use --op get (each item costs 2 units per 4 KB)")
	}
	r := &readCalc{Op: op, Consistency: c.String(), ItemSizes: sizes, RatePerS: rate}
	var per units.Units
	switch op {
	case "get":
		expr, u := readExpr(sizes[0], c, "a missing item")
		per = u
		r.Steps = append(r.Steps, expr+rateExpr(u, rate, "RCU"))
	case "batch_get":
		if n := len(sizes); n == 0 || n > model.MaxBatchGetItems {
			return nil, calcErrorf("a BatchGetItem reads 1 to %d items, not %d (--items)", model.MaxBatchGetItems, n)
		}
		per = units.BatchGetUnits(sizes, c)
		r.Steps = append(r.Steps, "BatchGetItem rounds each item, then sums: "+eachExpr(sizes, func(s int) (string, units.Units) {
			return readExpr(s, c, "a missing item")
		}, per)+rateExpr(per, rate, "RCU"))
		q := readPages(sizes, c)
		r.Other = &otherCost{Op: "query", UnitsPerRequest: q.total.Float()}
		r.Steps = append(r.Steps, fmt.Sprintf("a Query reading the same items (one item collection) sums, then rounds once: %s%s",
			q.expr, calcVs(q.total, per)))
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
			r.Other = &otherCost{Op: "batch_get", UnitsPerRequest: b.Float()}
			r.Steps = append(r.Steps, "BatchGetItem of the same items rounds each item, then sums: "+eachExpr(sizes, func(s int) (string, units.Units) {
				return readExpr(s, c, "a missing item")
			}, b)+calcVs(b, per))
		}
	}
	r.UnitsPerRequest = per.Float()
	r.RCU = per.Float() * rate
	r.Provision = int64(math.Ceil(r.RCU - 1e-9))
	if r.RCU != float64(r.Provision) {
		r.Steps = append(r.Steps, fmt.Sprintf("capacity is provisioned in whole units: %s RCU", calcNum(float64(r.Provision))))
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
// they fit in model.PageLimit (the item that would take it past starts
// the next page, as the store pages), and each page is priced by
// model.QueryUnits on the bytes it read.
func readPages(sizes []int, c units.Consistency) pagesOf {
	var p pagesOf
	var page []int
	read := 0
	for _, s := range sizes {
		if len(page) > 0 && read+s > store.PageLimit {
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
	p.expr = fmt.Sprintf("%d pages of at most 1 MB, each rounded: (%s) = %s", len(p.pages), strings.Join(parts, "), ("), calcUnits(p.total))
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
		return fmt.Sprintf("%s items x %s = ", reports.Commas(int64(len(sizes))), calcSize(sizes[0]))
	}
	if len(sizes) > 6 {
		return fmt.Sprintf("%d items add up to ", len(sizes))
	}
	var parts []string
	for _, s := range sizes {
		parts = append(parts, calcSize(s))
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
		return fmt.Sprintf("%s x (%s) = %s", reports.Commas(int64(len(sizes))), expr, calcUnits(total))
	}
	var parts []string
	if len(sizes) > 6 {
		return fmt.Sprintf("%d items of different sizes = %s", len(sizes), calcUnits(total))
	}
	for _, s := range sizes {
		expr, _ := price(s)
		parts = append(parts, expr)
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return "(" + strings.Join(parts, ") + (") + ") = " + calcUnits(total)
}

// readExpr shows how the model prices reading size bytes at c: "6 KB
// rounds up to 8 KB = 2 units / 2 = 1 unit". zero names a read of
// nothing, which costs the minimum.
func readExpr(size int, c units.Consistency, zero string) (string, units.Units) {
	blocks := units.ReadUnits(size, units.Strong) // one unit per 4 KB block
	u := units.ReadUnits(size, c)
	s := roundExpr(size, blocks, calcReadBlock, zero)
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
	return roundExpr(size, blocks, calcWriteBlock, zero) + factorExpr(blocks, u), u
}

func roundExpr(size int, blocks units.Units, block int, zero string) string {
	rounded := int(blocks.Float()) * block
	switch {
	case size <= 0:
		return fmt.Sprintf("%s costs the minimum, %s", zero, calcUnits(blocks))
	case size == rounded:
		return fmt.Sprintf("%s = %s", calcSize(size), calcUnits(blocks))
	}
	return fmt.Sprintf("%s rounds up to %s = %s", calcSize(size), calcSize(rounded), calcUnits(blocks))
}

// factorExpr shows the consistency factor the model applied to blocks.
func factorExpr(blocks, u units.Units) string {
	switch {
	case u < blocks:
		return fmt.Sprintf(" / %s = %s", calcNum(blocks.Float()/u.Float()), calcUnits(u))
	case u > blocks:
		return fmt.Sprintf(" x %s = %s", calcNum(u.Float()/blocks.Float()), calcUnits(u))
	}
	return ""
}

// rateExpr: " x 10/s = 20 RCU".
func rateExpr(u units.Units, rate float64, unit string) string {
	return fmt.Sprintf(" x %s/s = %s %s", calcNum(rate), calcNum(u.Float()*rate), unit)
}

// calcVs compares the other way of reading the same items with this
// one: ", 9 units more".
func calcVs(other, this units.Units) string {
	switch {
	case other > this:
		return fmt.Sprintf(", %s more", calcUnits(other-this))
	case other < this:
		return fmt.Sprintf(", %s fewer", calcUnits(this-other))
	}
	return ", the same"
}

func (o *calcOptions) writeCalc() (*writeCalc, error) {
	op := o.op
	if op == "" {
		op = "put"
	}
	switch op {
	case "put", "update", "delete", "batch_write":
	default:
		return nil, calcErrorf("--op %q: expected put, update, delete or batch_write", op)
	}
	sizes, err := o.parseSizes(op == "batch_write")
	if err != nil {
		return nil, err
	}
	rate, err := o.parseRate()
	if err != nil {
		return nil, err
	}
	old := -1
	if o.oldSize != "" {
		if op != "put" && op != "update" {
			return nil, calcErrorf("--old-size is for --op put or update (the item it replaces)")
		}
		n, err := scenarios.ParseSize(o.oldSize)
		if err != nil {
			return nil, calcErrorf("--old-size: %v", err)
		}
		old = int(n)
	}
	return calcWrite(op, sizes, old, o.transactional, rate)
}

// calcWrite prices writing sizes with op, rate times a second. old is the
// size of the item a put or update replaces, -1 for none.
func calcWrite(op string, sizes []int, old int, transactional bool, rate float64) (*writeCalc, error) {
	if transactional && (op == "batch_write" || old >= 0) {
		return nil, calcErrorf("--transactional is a TransactWriteItems of single puts, updates or deletes: not with batch_write or --old-size")
	}
	r := &writeCalc{Op: op, Transactional: transactional, ItemSizes: sizes, RatePerS: rate}
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
			what, calcSize(old), calcSize(sizes[0]), expr, rateExpr(per, rate, "WCU")))
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
			return nil, calcErrorf("a BatchWriteItem writes 1 to %d items, not %d (--items)", model.MaxBatchWriteItems, n)
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

// ---- partitions

type partitionCalc struct {
	Partitions      int      `json:"partitions"`
	ByThroughput    int      `json:"by_throughput"`
	BySize          int      `json:"by_size"`
	RCU             int64    `json:"rcu"`
	WCU             int64    `json:"wcu"`
	SizeBytes       int64    `json:"size_bytes"`
	PerPartitionRCU float64  `json:"per_partition_rcu"`
	PerPartitionWCU float64  `json:"per_partition_wcu"`
	Steps           []string `json:"steps"`
}

func (o *calcOptions) partitionCalc() (*partitionCalc, error) {
	if o.rcu == "" && o.wcu == "" && o.size == "" {
		return nil, calcErrorf("give --rcu and --wcu (provisioned capacity, such as 5000 and 2000), --size (such as 50GB), or both")
	}
	rcu, err := calcCount("rcu", o.rcu)
	if err != nil {
		return nil, err
	}
	wcu, err := calcCount("wcu", o.wcu)
	if err != nil {
		return nil, err
	}
	var size int64
	if o.size != "" {
		if size, err = scenarios.ParseSize(o.size); err != nil {
			return nil, calcErrorf("--size: %v", err)
		}
	}
	return calcPartitions(rcu, wcu, size), nil
}

func calcCount(flag, s string) (int64, error) {
	if s == "" {
		return 0, nil
	}
	n, err := scenarios.ParseCount(s)
	if err != nil {
		return 0, calcErrorf("--%s: %v", flag, err)
	}
	return n, nil
}

// calcPartitions is the published rule, model.InitialPartitions, with its
// two halves shown.
func calcPartitions(rcu, wcu, size int64) *partitionCalc {
	p := &partitionCalc{RCU: rcu, WCU: wcu, SizeBytes: size,
		ByThroughput: capacity.InitialPartitions(rcu, wcu, 0),
		BySize:       capacity.InitialPartitions(0, 0, size),
		Partitions:   capacity.InitialPartitions(rcu, wcu, size),
	}
	exact := float64(rcu)/float64(capacity.PartitionReadCeiling) + float64(wcu)/float64(capacity.PartitionWriteCeiling)
	p.Steps = append(p.Steps, fmt.Sprintf("by throughput: ceil(%s/%s + %s/%s) = ceil(%s) = %d%s",
		calcNum(float64(rcu)), calcNum(float64(capacity.PartitionReadCeiling)),
		calcNum(float64(wcu)), calcNum(float64(capacity.PartitionWriteCeiling)),
		calcNum(exact), int(math.Ceil(exact)), atLeastOne(p.ByThroughput, exact)))
	if size > 0 {
		gb := float64(size) / float64(capacity.PartitionSizeLimit)
		p.Steps = append(p.Steps, fmt.Sprintf("by size: ceil(%s / %s) = ceil(%s) = %d",
			calcSize(int(size)), calcSize(int(capacity.PartitionSizeLimit)), calcNum(gb), p.BySize))
		p.Steps = append(p.Steps, fmt.Sprintf("partitions = max(%d, %d) = %d", p.ByThroughput, p.BySize, p.Partitions))
	} else {
		p.Steps = append(p.Steps, fmt.Sprintf("partitions = %d", p.Partitions))
	}
	n := float64(p.Partitions)
	p.PerPartitionRCU, p.PerPartitionWCU = float64(rcu)/n, float64(wcu)/n
	p.Steps = append(p.Steps, fmt.Sprintf("each partition gets an even share: %s / %d = %s RCU and %s / %d = %s WCU; one partition key never gets more than %s RCU or %s WCU a second",
		calcNum(float64(rcu)), p.Partitions, calcNum(p.PerPartitionRCU),
		calcNum(float64(wcu)), p.Partitions, calcNum(p.PerPartitionWCU),
		calcNum(float64(capacity.PartitionReadCeiling)), calcNum(float64(capacity.PartitionWriteCeiling))))
	return p
}

func atLeastOne(n int, exact float64) string {
	if int(math.Ceil(exact)) < n {
		return fmt.Sprintf(", at least %d", n)
	}
	return ""
}

// ---- cost

type costCalc struct {
	Region     string  `json:"region"`
	TableClass string  `json:"table_class"`
	Hours      float64 `json:"hours"`
	// TotalUSD and MonthlyUSD are the one bill's, or the cheaper one's
	// when both modes are given (Cheaper names it).
	TotalUSD   float64    `json:"total_usd"`
	MonthlyUSD float64    `json:"monthly_usd"`
	Cheaper    string     `json:"cheaper,omitempty"`
	Bills      []costBill `json:"bills"`
	// Utilization is the on-demand traffic against the provisioned
	// capacity, when both are given.
	Utilization *breakEven `json:"utilization,omitempty"`
	BreakEven   *breakEven `json:"break_even_utilization,omitempty"`
	Steps       []string   `json:"steps"`
}

type costBill struct {
	Mode       string     `json:"mode"` // provisioned, on-demand, or storage
	Lines      []costLine `json:"lines"`
	TotalUSD   float64    `json:"total_usd"`
	MonthlyUSD float64    `json:"monthly_usd"`
}

type costLine struct {
	Item     string  `json:"item"`
	Unit     string  `json:"unit"`
	Quantity float64 `json:"quantity"`
	Free     float64 `json:"free"`
	Price    float64 `json:"price"`
	USD      float64 `json:"usd"`
	Step     string  `json:"step"`
}

// costInput is what `calc cost` prices.
type costInput struct {
	region, class       string
	hours               float64
	rcu, wcu            int64
	reads, writes       float64 // request units over the hours
	storage             int64   // bytes
	freeTier            bool
	readRate, writeRate string // as given, for the steps ("100/s"), or ""
	// provisioned and onDemand say which modes were asked for.
	provisioned, onDemand bool
}

func (o *calcOptions) costCalc() (*costCalc, error) {
	in := costInput{region: o.region, class: o.class, hours: billing.HoursPerMonth, freeTier: o.freeTier}
	if o.hours != "" {
		h, err := strconv.ParseFloat(o.hours, 64)
		if err != nil || h <= 0 || math.IsInf(h, 0) {
			return nil, calcErrorf("--hours %q: expected a positive number of hours such as 720", o.hours)
		}
		in.hours = h
	}
	var err error
	if in.rcu, err = calcCount("rcu", o.rcu); err != nil {
		return nil, err
	}
	if in.wcu, err = calcCount("wcu", o.wcu); err != nil {
		return nil, err
	}
	requests := func(flag, s string, rate *string) (float64, error) {
		if s == "" {
			return 0, nil
		}
		if strings.Contains(s, "/") {
			r, err := scenarios.ParseRate(s)
			if err != nil {
				return 0, calcErrorf("--%s: %v", flag, err)
			}
			*rate = s
			return r * 3600 * in.hours, nil
		}
		n, err := scenarios.ParseCount(s)
		if err != nil {
			return 0, calcErrorf("--%s: %v (or a rate such as 100/s)", flag, err)
		}
		return float64(n), nil
	}
	if in.reads, err = requests("reads", o.reads, &in.readRate); err != nil {
		return nil, err
	}
	if in.writes, err = requests("writes", o.writes, &in.writeRate); err != nil {
		return nil, err
	}
	if o.storage != "" {
		if in.storage, err = scenarios.ParseSize(o.storage); err != nil {
			return nil, calcErrorf("--storage: %v", err)
		}
	}
	in.provisioned = o.rcu != "" || o.wcu != ""
	in.onDemand = o.reads != "" || o.writes != ""
	if o.rcu == "" && o.wcu == "" && o.reads == "" && o.writes == "" && o.storage == "" {
		return nil, calcErrorf("nothing to price: give --rcu/--wcu (provisioned), --reads/--writes (on-demand request units, 10M or 100/s) or --storage (50GB)")
	}
	switch in.class {
	case "standard", "standard-ia":
	default:
		return nil, calcErrorf("--table-class %q: expected standard or standard-ia", in.class)
	}
	return calcCost(in)
}

// calcCost prices in with the price file through model.Itemize.
func calcCost(in costInput) (*costCalc, error) {
	book, err := scenarios.PriceBook(in.region, in.class, scenarios.Prices{}, "")
	if err != nil {
		msg, _, _ := strings.Cut(err.Error(), ";") // the rest is about scenario files
		return nil, calcErrorf("--region: %s", msg)
	}
	c := &costCalc{Region: in.region, TableClass: in.class, Hours: in.hours}
	c.Steps = append(c.Steps, fmt.Sprintf("prices: %s, %s table class, from the price file (scenarios/prices/prices.yaml); %s h",
		in.region, in.class, calcNum(in.hours)))
	gbMonths := float64(in.storage) / (1 << 30) * in.hours / billing.HoursPerMonth
	prov, od := in.provisioned, in.onDemand
	var meters []billing.Meter
	var modes []string
	if prov {
		meters = append(meters, billing.Meter{RCUHours: float64(in.rcu) * in.hours, WCUHours: float64(in.wcu) * in.hours,
			GBMonths: gbMonths, Standard: in.class == "standard"})
		modes = append(modes, "provisioned")
	}
	if od {
		meters = append(meters, billing.Meter{ReadUnits: in.reads, WriteUnits: in.writes, GBMonths: gbMonths, Standard: in.class == "standard"})
		modes = append(modes, "on-demand")
	}
	if len(meters) == 0 {
		meters = append(meters, billing.Meter{GBMonths: gbMonths, Standard: in.class == "standard"})
		modes = append(modes, "storage")
	}
	for i, m := range meters {
		// Each mode is its own bill (one table, priced two ways), so
		// each gets the whole free tier.
		charges := billing.Itemize([]billing.Meter{m}, []billing.PriceBook{book}, in.hours, in.freeTier)
		bill := costBill{Mode: modes[i]}
		if len(meters) > 1 {
			c.Steps = append(c.Steps, modes[i]+":")
		}
		for _, ch := range charges {
			l := costLine{Item: ch.Item, Unit: ch.Unit, Quantity: ch.Quantity, Free: ch.Free, Price: ch.Price, USD: ch.USD}
			l.Step = costStep(in, ch)
			bill.Lines = append(bill.Lines, l)
			bill.TotalUSD += ch.USD
			c.Steps = append(c.Steps, "  "+l.Step)
		}
		bill.MonthlyUSD = bill.TotalUSD * billing.HoursPerMonth / in.hours
		month := ""
		if in.hours != billing.HoursPerMonth {
			month = fmt.Sprintf(" (%s a month of %d h)", reports.USD(bill.MonthlyUSD), billing.HoursPerMonth)
		}
		c.Steps = append(c.Steps, fmt.Sprintf("  total %s for %s h%s", reports.USD(bill.TotalUSD), calcNum(in.hours), month))
		c.Bills = append(c.Bills, bill)
	}
	best := 0
	if len(c.Bills) == 2 {
		if c.Bills[1].TotalUSD < c.Bills[0].TotalUSD {
			best = 1
		}
		c.Cheaper = c.Bills[best].Mode
		c.Steps = append(c.Steps, fmt.Sprintf("cheaper: %s, %s against %s", c.Cheaper,
			reports.USD(c.Bills[best].TotalUSD), reports.USD(c.Bills[1-best].TotalUSD)))
	}
	c.TotalUSD, c.MonthlyUSD = c.Bills[best].TotalUSD, c.Bills[best].MonthlyUSD
	if be, err := breakEvenUtilization(&scenarios.Scenario{Region: in.region,
		Tables: []scenarios.Table{{TableClass: in.class}}}); err == nil {
		c.BreakEven = be
		c.Steps = append(c.Steps, fmt.Sprintf("break-even: an RCU-hour (%s) serves up to 3,600 reads, which on demand cost 3,600 x %s = %s; provisioned is cheaper above %s / %s = %s average utilisation",
			calcPrice(book.RCUHour), calcPrice(book.ReadRequestUnit), calcPrice(3600*book.ReadRequestUnit),
			calcPrice(book.RCUHour), calcPrice(3600*book.ReadRequestUnit), calcPercent(be.Reads)))
		c.Steps = append(c.Steps, fmt.Sprintf("break-even for writes: a WCU-hour (%s) against 3,600 x %s = %s: provisioned is cheaper above %s",
			calcPrice(book.WCUHour), calcPrice(book.WriteRequestUnit), calcPrice(3600*book.WriteRequestUnit), calcPercent(be.Writes)))
	}
	if prov && od {
		u := &breakEven{}
		var parts []string
		if in.rcu > 0 && in.reads > 0 {
			u.Reads = in.reads / (float64(in.rcu) * 3600 * in.hours)
			parts = append(parts, fmt.Sprintf("reads %s / (%s RCU x 3,600 s x %s h) = %s", calcNum(in.reads), calcNum(float64(in.rcu)), calcNum(in.hours), calcPercent(u.Reads)))
		}
		if in.wcu > 0 && in.writes > 0 {
			u.Writes = in.writes / (float64(in.wcu) * 3600 * in.hours)
			parts = append(parts, fmt.Sprintf("writes %s / (%s WCU x 3,600 s x %s h) = %s", calcNum(in.writes), calcNum(float64(in.wcu)), calcNum(in.hours), calcPercent(u.Writes)))
		}
		if len(parts) > 0 {
			c.Utilization = u
			c.Steps = append(c.Steps, "utilisation of the provisioned capacity by the on-demand traffic: "+strings.Join(parts, "; "))
		}
	}
	return c, nil
}

// costStep shows one charge's arithmetic.
func costStep(in costInput, ch billing.Charge) string {
	var qty string
	switch ch.Item {
	case billing.ItemReadCapacity:
		qty = fmt.Sprintf("%s RCU x %s h = %s %s", calcNum(float64(in.rcu)), calcNum(in.hours), calcNum(ch.Quantity), ch.Unit)
	case billing.ItemWriteCapacity:
		qty = fmt.Sprintf("%s WCU x %s h = %s %s", calcNum(float64(in.wcu)), calcNum(in.hours), calcNum(ch.Quantity), ch.Unit)
	case billing.ItemReadRequests:
		qty = calcNum(ch.Quantity) + " " + ch.Unit
		if in.readRate != "" {
			qty = fmt.Sprintf("%s x 3,600 s x %s h = %s", in.readRate, calcNum(in.hours), qty)
		}
	case billing.ItemWriteRequests:
		qty = calcNum(ch.Quantity) + " " + ch.Unit
		if in.writeRate != "" {
			qty = fmt.Sprintf("%s x 3,600 s x %s h = %s", in.writeRate, calcNum(in.hours), qty)
		}
	case billing.ItemStorage:
		month := "1 month"
		if in.hours != billing.HoursPerMonth {
			month = fmt.Sprintf("%s/%d h", calcNum(in.hours), billing.HoursPerMonth)
		}
		qty = fmt.Sprintf("%s x %s = %s %s", calcSize(int(in.storage)), month, calcNum(ch.Quantity), ch.Unit)
	default:
		qty = calcNum(ch.Quantity) + " " + ch.Unit
	}
	if ch.Free > 0 {
		qty = fmt.Sprintf("(%s - %s free)", qty, calcNum(ch.Free))
	}
	return fmt.Sprintf("%-15s %s x %s = %s", strings.ReplaceAll(ch.Item, "_", " "), qty, calcPrice(ch.Price), reports.USD(ch.USD))
}

// ---- DAX

type daxCalc struct {
	NormalizedPerS float64  `json:"normalized_per_s"`
	HitsLoad       float64  `json:"hits_load"`
	MissesLoad     float64  `json:"misses_load"`
	WritesLoad     float64  `json:"writes_load"`
	ItemKB         float64  `json:"item_kb"`
	NodeType       string   `json:"node_type"`
	Nodes          int      `json:"nodes"`
	NodeCapacity   int64    `json:"node_capacity_per_s"`
	CapacityPerS   int64    `json:"capacity_per_s"`
	Utilization    float64  `json:"utilization"`
	Fits           bool     `json:"fits"`
	MinNodes       int      `json:"min_nodes"` // 0: no cluster of the type serves it
	HitRate        float64  `json:"hit_rate"`
	MonthlyUSD     float64  `json:"monthly_usd,omitempty"`
	Steps          []string `json:"steps"`
}

func (o *calcOptions) daxCalc() (*daxCalc, error) {
	rate := func(flag, s string) (float64, error) {
		if s == "" {
			return 0, nil
		}
		r, err := scenarios.ParseRate(s)
		if err != nil {
			return 0, calcErrorf("--%s: %v", flag, err)
		}
		return r, nil
	}
	hits, err := rate("hits", o.hits)
	if err != nil {
		return nil, err
	}
	misses, err := rate("misses", o.misses)
	if err != nil {
		return nil, err
	}
	writes, err := rate("writes", o.writes)
	if err != nil {
		return nil, err
	}
	if o.hits == "" && o.misses == "" && o.writes == "" {
		return nil, calcErrorf("give --hits, --misses and --writes: rates such as 50000/s")
	}
	sizes, err := o.parseSizes(false)
	if err != nil {
		return nil, err
	}
	node, ok := cache.LookupNodeType(o.nodeType)
	if !ok {
		var names []string
		for _, t := range cache.NodeTypes() {
			names = append(names, t.Name)
		}
		return nil, calcErrorf("--node-type %q: expected one of %s", o.nodeType, strings.Join(names, ", "))
	}
	if o.nodes < 1 || o.nodes > cache.MaxNodes {
		return nil, calcErrorf("--nodes %d: a cluster has 1 to %d nodes (a primary and up to 10 replicas)", o.nodes, cache.MaxNodes)
	}
	return calcDAX(hits, misses, writes, sizes[0], node, o.nodes, o.region)
}

// calcDAX sizes a DAX cluster with model.DAXNormalizedLoad. Items are
// counted in whole KB, rounded up, as the simulator's DAX charges them.
func calcDAX(hits, misses, writes float64, size int, node cache.NodeType, nodes int, region string) (*daxCalc, error) {
	kb := math.Max(1, math.Ceil(float64(size)/1024))
	d := &daxCalc{ItemKB: kb, NodeType: node.Name, Nodes: nodes, NodeCapacity: node.Capacity}
	d.HitsLoad = cache.NormalizedLoad(hits, 0, 0, kb, nodes)
	d.MissesLoad = cache.NormalizedLoad(0, misses, 0, kb, nodes)
	d.WritesLoad = cache.NormalizedLoad(0, 0, writes, kb, nodes)
	d.NormalizedPerS = cache.NormalizedLoad(hits, misses, writes, kb, nodes)
	if hits+misses > 0 {
		d.HitRate = hits / (hits + misses)
	}
	if float64(size) != kb*1024 {
		d.Steps = append(d.Steps, fmt.Sprintf("item size %s counts as %s KB (whole KB, rounded up)", calcSize(size), calcNum(kb)))
	}
	weight := func(load, rate float64) string {
		if rate == 0 {
			return "0"
		}
		return calcNum(load / rate / kb)
	}
	d.Steps = append(d.Steps,
		fmt.Sprintf("hits    %s/s x %s KB x %s = %s", calcNum(hits), calcNum(kb), weight(d.HitsLoad, hits), calcNum(d.HitsLoad)),
		fmt.Sprintf("misses  %s/s x %s KB x %s = %s", calcNum(misses), calcNum(kb), weight(d.MissesLoad, misses), calcNum(d.MissesLoad)),
		fmt.Sprintf("writes  %s/s x %s KB x %s x %d node%s = %s (a write reaches every node)", calcNum(writes), calcNum(kb),
			weight(d.WritesLoad/float64(nodes), writes), nodes, calcPlural(nodes), calcNum(d.WritesLoad)),
		fmt.Sprintf("normalized load = %s + %s + %s = %s req/s", calcNum(d.HitsLoad), calcNum(d.MissesLoad), calcNum(d.WritesLoad), calcNum(d.NormalizedPerS)))
	d.CapacityPerS = node.Capacity * int64(nodes)
	d.Utilization = d.NormalizedPerS / float64(d.CapacityPerS)
	d.Fits = d.NormalizedPerS <= float64(d.CapacityPerS)
	verdict := "it fits"
	if !d.Fits {
		verdict = "overloaded: DAX throttles the excess (ThrottlingException)"
	}
	d.Steps = append(d.Steps, fmt.Sprintf("capacity: %d x %s at %s = %s req/s, %s used: %s",
		nodes, node.Name, calcNum(float64(node.Capacity)), calcNum(float64(d.CapacityPerS)), calcPercent(d.Utilization), verdict))
	for n := 1; n <= cache.MaxNodes; n++ {
		if l := cache.NormalizedLoad(hits, misses, writes, kb, n); l <= float64(node.Capacity*int64(n)) {
			d.MinNodes = n
			d.Steps = append(d.Steps, fmt.Sprintf("smallest %s cluster that serves it: %d node%s (%s against %s)",
				node.Name, n, calcPlural(n), calcNum(l), calcNum(float64(node.Capacity*int64(n)))))
			break
		}
	}
	if d.MinNodes == 0 {
		d.Steps = append(d.Steps, fmt.Sprintf("no %s cluster of up to %d nodes serves it: a larger node type, or fewer writes through DAX", node.Name, cache.MaxNodes))
	}
	if price, err := scenarios.DAXNodeHour(region, node.Name, scenarios.Prices{}); err == nil {
		d.MonthlyUSD = price * float64(nodes) * billing.HoursPerMonth
		d.Steps = append(d.Steps, fmt.Sprintf("price: %d node%s x %s x %d h = %s a month", nodes, calcPlural(nodes), calcPrice(price), billing.HoursPerMonth, reports.USD(d.MonthlyUSD)))
	}
	return d, nil
}

// ---- formatting

// calcNum formats a number with at most two decimals, thousands
// separated: 135000 -> "135,000", 3.6667 -> "3.67".
func calcNum(v float64) string {
	s := strconv.FormatFloat(math.Round(v*100)/100, 'f', 2, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	whole, frac, _ := strings.Cut(s, ".")
	neg := strings.HasPrefix(whole, "-")
	w, _ := strconv.ParseInt(strings.TrimPrefix(whole, "-"), 10, 64)
	out := reports.Commas(w)
	if neg {
		out = "-" + out
	}
	if frac != "" {
		out += "." + frac
	}
	return out
}

// calcSize formats bytes in the largest unit that holds at least one:
// "6 KB", "2.5 KB", "512 B", "50 GB".
func calcSize(b int) string {
	units := []struct {
		name string
		size float64
	}{{"GB", 1 << 30}, {"MB", 1 << 20}, {"KB", 1 << 10}}
	for _, u := range units {
		if float64(b) >= u.size {
			return calcNum(float64(b)/u.size) + " " + u.name
		}
	}
	return fmt.Sprintf("%d B", b)
}

// calcUnits: "1 unit", "0.5 units", "20 units".
func calcUnits(u units.Units) string {
	if u == units.Unit {
		return "1 unit"
	}
	return calcNum(u.Float()) + " units"
}

// calcPrice writes a price as the price file does ("$0.00013"), products
// of prices rounded to 10 significant figures ("$0.00045").
func calcPrice(p float64) string {
	r, _ := strconv.ParseFloat(strconv.FormatFloat(p, 'g', 10, 64), 64)
	return "$" + strconv.FormatFloat(r, 'f', -1, 64)
}

func calcPercent(f float64) string { return strconv.FormatFloat(100*f, 'f', 1, 64) + "%" }

func calcPlural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
