package billing

import "fmt"

// Billing (REFERENCE: prices). A Meter accrues what a table is billed for
// as the run goes; Cost prices the meters of all tables with a PriceBook,
// applying the always-free tier once for the account.

// PriceBook holds the prices of one region and table class, in US dollars.
type PriceBook struct {
	ReadRequestUnit, WriteRequestUnit float64 // per on-demand request unit
	RCUHour, WCUHour                  float64 // per provisioned unit-hour
	StorageGBMonth                    float64 // per GB-month
	// ReservedRCUHour and ReservedWCUHour are reserved capacity's
	// effective hourly rate for the table's term (its upfront payment
	// spread over the term, plus its hourly fee).
	ReservedRCUHour, ReservedWCUHour float64
	// DAXNodeHour is the hourly price of one node of the table's DAX
	// cluster's node type (REFERENCE: dax, node-hour prices).
	DAXNodeHour float64
	// ReplicatedWriteRequestUnit and ReplicatedWCUHour price a global
	// table replica's writes (rWRU, rWCU-hours); StreamReadRequestUnit a
	// stream's GetRecords call (REFERENCE: prices, global, streams).
	ReplicatedWriteRequestUnit, ReplicatedWCUHour float64
	StreamReadRequestUnit                         float64
	// MonthHours is the month the book's monthly prices and allowances
	// assume (a GB-month of storage, the free tier's 25 GB and 2.5M
	// stream reads a month) and a run's monthly projection: 0 or
	// HoursPerMonth for ddbsim's default, MonthHours30Days for the AWS
	// pricing pages' worked examples (see Month).
	MonthHours float64
}

// Month is the book's month in hours: MonthHours, or HoursPerMonth when
// unset.
func (b PriceBook) Month() float64 {
	if b.MonthHours > 0 {
		return b.MonthHours
	}
	return HoursPerMonth
}

// The free tier (REFERENCE: prices): 25 GB of storage and 25 RCU + 25 WCU of
// provisioned capacity, always, for the account's Standard tables.
const (
	FreeStorageGB = 25
	FreeRCU       = 25
	FreeWCU       = 25
)

// HoursPerMonth is ddbsim's default month for a GB-month, the free
// tier's monthly allowances and monthly estimates: 730 hours (365 x 24 /
// 12), the average month, as AWS's billing prorates a GB-month and as
// the AWS Pricing Calculator projects a month. The AWS pricing pages'
// worked examples use a 30-day month instead (720 hours: the provisioned
// example's "100 RCU + 100 WCU for 720 h = $56.16", REFERENCE: prices,
// S37a); MonthHours30Days is that convention, chosen per scenario with
// `prices: {month: 30d}` (docs/model.md, "Month length").
const HoursPerMonth = 730

// MonthHours30Days is the 30-day month of the AWS pricing examples.
const MonthHours30Days = 720

// The month conventions by name, as a scenario and `calc cost --month`
// give them.
const (
	Month730Hours = "730h"
	Month30Days   = "30d"
)

// MonthConvention returns the hours of the month convention named
// ("730h", "30d"; "" is the default, 730h), and false for another name.
func MonthConvention(name string) (hours float64, ok bool) {
	switch name {
	case "", Month730Hours:
		return HoursPerMonth, true
	case Month30Days:
		return MonthHours30Days, true
	}
	return 0, false
}

// MonthName names the month of hours as a reader sees it: "730 hours,
// 365 days / 12" or "720 hours, 30 days".
func MonthName(hours float64) string {
	if hours == MonthHours30Days {
		return "720 hours, 30 days"
	}
	if hours == HoursPerMonth {
		return "730 hours, 365 days / 12"
	}
	return fmt.Sprintf("%g hours", hours)
}

// Meter is a table's billable usage so far.
type Meter struct {
	// RCUHours and WCUHours are provisioned capacity times time, billed
	// whether used or not, above any reserved capacity; zero for on-demand
	// tables.
	RCUHours, WCUHours float64
	// ReservedRCUHours and ReservedWCUHours are reserved capacity times
	// time, paid for whether provisioned or not.
	ReservedRCUHours, ReservedWCUHours float64
	// ReadUnits and WriteUnits are request units an on-demand table
	// consumed; zero traffic costs nothing (REFERENCE: ondemand).
	ReadUnits, WriteUnits float64
	// GBMonths is stored bytes, with 100 B per item (REFERENCE: units),
	// times time, in GB-months of HoursPerMonth; a book with another
	// month restates it in its own (Itemize).
	GBMonths float64
	// DAXNodeHours is the nodes of the DAX cluster the table owns times
	// time: a cluster is billed on the first table it serves.
	DAXNodeHours float64
	// Replicated is true for a replica of a global table, whose writes
	// and write capacity are billed as replicated (rWRU, rWCU-hours).
	Replicated bool
	// TTLDeleteUnits are the replicated write units of TTL deletions
	// arriving from another replica (REFERENCE: global, "TTL deletes
	// replicate and are billed as replicated writes"), part of WriteUnits
	// and billed on a line of their own.
	TTLDeleteUnits float64
	// StreamReadUnits are billed GetRecords calls of the table's stream.
	StreamReadUnits float64
	// Standard is false for a Standard-IA table, which the free tier
	// does not cover.
	Standard bool
}

// Line items of a bill.
const (
	ItemReadCapacity  = "read_capacity"  // provisioned RCU-hours
	ItemWriteCapacity = "write_capacity" // provisioned WCU-hours
	ItemReadRequests  = "read_requests"  // on-demand read request units
	ItemWriteRequests = "write_requests" // on-demand write request units
	ItemStorage       = "storage"
	ItemReservedRead  = "reserved_read_capacity"  // reserved RCU-hours
	ItemReservedWrite = "reserved_write_capacity" // reserved WCU-hours
	ItemDAXNodes      = "dax_nodes"               // DAX node-hours
	// A global table replica's write capacity and write request units,
	// and the part of them TTL deletions from other replicas took.
	ItemReplicatedWriteCapacity = "replicated_write_capacity" // rWCU-hours
	ItemReplicatedWriteRequests = "replicated_write_requests" // rWRU
	ItemTTLDeletes              = "ttl_deletes"               // rWRU of replicated TTL deletions
	ItemStreamReads             = "stream_reads"              // stream read request units
)

// Free tier of DynamoDB Streams: 2.5 million read request units a month
// (REFERENCE: streams).
const FreeStreamReadUnits = 2_500_000

// LineItems lists the line items in the order reports show them.
var LineItems = []string{ItemReservedRead, ItemReservedWrite, ItemReadCapacity, ItemWriteCapacity,
	ItemReadRequests, ItemWriteRequests, ItemReplicatedWriteCapacity, ItemReplicatedWriteRequests, ItemTTLDeletes,
	ItemStorage, ItemStreamReads, ItemDAXNodes}

// Bill is the cost of the meters so far, by line item.
type Bill map[string]float64

// Total sums the line items.
func (b Bill) Total() float64 {
	total := 0.0
	for _, item := range LineItems {
		total += b[item]
	}
	return total
}

// Charge is one line of a bill: a quantity of a billed unit, less what
// the free tier covers, times its price.
type Charge struct {
	Table    int
	Item     string  // one of LineItems
	Unit     string  // "RCU-hours", "WCU-hours", "read request units", "write request units", "GB-months"
	Quantity float64 // used
	Free     float64 // covered by the free tier
	Price    float64 // US dollars per unit
	USD      float64 // (Quantity - Free) x Price
}

// Itemize prices the tables' meters after hours of run time, one Charge
// per table and line item used. books[i] prices meters[i]. With freeTier,
// the free tier's capacity (25 RCU and 25 WCU for every hour) and storage
// (25 GB for every month) come off the Standard tables' provisioned
// capacity and storage, once for the account, in table order.
func Itemize(meters []Meter, books []PriceBook, hours float64, freeTier bool) []Charge {
	return AppendCharges(nil, meters, books, hours, freeTier)
}

// AppendCharges is Itemize appending to dst: with room in dst it does not
// allocate, for a caller that prices every simulated second.
func AppendCharges(dst []Charge, meters []Meter, books []PriceBook, hours float64, freeTier bool) []Charge {
	// The month of the books (one convention for a run): storage is
	// metered in GB-months of HoursPerMonth and restated in the book's.
	month := float64(HoursPerMonth)
	if len(books) > 0 {
		month = books[0].Month()
	}
	freeRCU, freeWCU := FreeRCU*hours, FreeWCU*hours
	freeGB := FreeStorageGB * hours / month
	if !freeTier {
		freeRCU, freeWCU, freeGB = 0, 0, 0
	}
	out := dst
	add := func(table int, item, unit string, used float64, pool *float64, standard bool, price float64) {
		if used <= 0 {
			return
		}
		free := 0.0
		if pool != nil && standard {
			free = min(used, *pool)
			*pool -= free
		}
		out = append(out, Charge{Table: table, Item: item, Unit: unit, Quantity: used, Free: free,
			Price: price, USD: (used - free) * price})
	}
	freeStream := FreeStreamReadUnits * hours / month
	if !freeTier {
		freeStream = 0
	}
	for i, m := range meters {
		b := books[i]
		add(i, ItemReservedRead, "reserved RCU-hours", m.ReservedRCUHours, nil, m.Standard, b.ReservedRCUHour)
		add(i, ItemReservedWrite, "reserved WCU-hours", m.ReservedWCUHours, nil, m.Standard, b.ReservedWCUHour)
		add(i, ItemReadCapacity, "RCU-hours", m.RCUHours, &freeRCU, m.Standard, b.RCUHour)
		add(i, ItemReadRequests, "read request units", m.ReadUnits, nil, m.Standard, b.ReadRequestUnit)
		if m.Replicated {
			add(i, ItemReplicatedWriteCapacity, "rWCU-hours", m.WCUHours, &freeWCU, m.Standard, b.ReplicatedWCUHour)
			add(i, ItemReplicatedWriteRequests, "replicated write request units", m.WriteUnits-m.TTLDeleteUnits, nil, m.Standard, b.ReplicatedWriteRequestUnit)
			add(i, ItemTTLDeletes, "replicated write request units", m.TTLDeleteUnits, nil, m.Standard, b.ReplicatedWriteRequestUnit)
		} else {
			add(i, ItemWriteCapacity, "WCU-hours", m.WCUHours, &freeWCU, m.Standard, b.WCUHour)
			add(i, ItemWriteRequests, "write request units", m.WriteUnits, nil, m.Standard, b.WriteRequestUnit)
		}
		add(i, ItemStorage, "GB-months", m.GBMonths*HoursPerMonth/month, &freeGB, m.Standard, b.StorageGBMonth)
		add(i, ItemStreamReads, "stream read request units", m.StreamReadUnits, &freeStream, true, b.StreamReadRequestUnit)
		add(i, ItemDAXNodes, "DAX node-hours", m.DAXNodeHours, nil, m.Standard, b.DAXNodeHour)
	}
	return out
}

// Cost sums Itemize by line item.
func Cost(meters []Meter, books []PriceBook, hours float64, freeTier bool) Bill {
	bill := Bill{}
	for _, c := range Itemize(meters, books, hours, freeTier) {
		bill[c.Item] += c.USD
	}
	return bill
}
