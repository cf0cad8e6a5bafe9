package calc

import (
	"fmt"
	"strings"

	"github.com/ddbsim/ddbsim/model/billing"
	"github.com/ddbsim/ddbsim/reports"
	"github.com/ddbsim/ddbsim/scenarios"
)

// Costing is `calc cost`: a bill for each mode asked for, the cheaper
// one, and the break-even utilisation of provisioned capacity.
type Costing struct {
	Region     string  `json:"region"`
	TableClass string  `json:"table_class"`
	Hours      float64 `json:"hours"`
	// MonthHours is the month convention's hours (730, or 720 for 30
	// days): a GB-month, the free tier's monthly allowances, MonthlyUSD.
	MonthHours float64 `json:"month_hours"`
	// TotalUSD and MonthlyUSD are the one bill's, or the cheaper one's
	// when both modes are given (Cheaper names it).
	TotalUSD   float64    `json:"total_usd"`
	MonthlyUSD float64    `json:"monthly_usd"`
	Cheaper    string     `json:"cheaper,omitempty"`
	Bills      []ModeBill `json:"bills"`
	// Utilization is the on-demand traffic against the provisioned
	// capacity, when both are given.
	Utilization *BreakEven `json:"utilization,omitempty"`
	BreakEven   *BreakEven `json:"break_even_utilization,omitempty"`
	Steps       []string   `json:"steps"`
}

// ModeBill is the bill of one mode: its lines and totals.
type ModeBill struct {
	Mode       string     `json:"mode"` // provisioned, on-demand, or storage
	Lines      []BillLine `json:"lines"`
	TotalUSD   float64    `json:"total_usd"`
	MonthlyUSD float64    `json:"monthly_usd"`
}

// BillLine is one line item of a bill with its arithmetic.
type BillLine struct {
	Item     string  `json:"item"`
	Unit     string  `json:"unit"`
	Quantity float64 `json:"quantity"`
	Free     float64 `json:"free"`
	Price    float64 `json:"price"`
	USD      float64 `json:"usd"`
	Step     string  `json:"step"`
}

// CostInput is what `calc cost` prices.
type CostInput struct {
	Region, Class string  // the price file's region and table class
	Hours         float64 // hours billed
	RCU, WCU      int64   // provisioned capacity
	Reads, Writes float64 // on-demand request units over the hours
	Storage       int64   // bytes stored
	StreamReads   float64 // stream read request units over the hours
	FreeTier      bool    // take the account's free tier off
	// MonthHours is the month convention (billing.HoursPerMonth when 0).
	MonthHours float64
	// ReadRate and WriteRate are Reads and Writes as a rate, as given
	// ("100/s"), for the steps; "" when given as counts.
	ReadRate, WriteRate string
	// Provisioned and OnDemand say which modes were asked for.
	Provisioned, OnDemand bool
}

// Cost prices in with the price file through billing.Itemize.
func Cost(in CostInput) (*Costing, error) {
	book, err := scenarios.PriceBook(in.Region, in.Class, scenarios.Prices{}, "")
	if err != nil {
		msg, _, _ := strings.Cut(err.Error(), ";") // the rest is about scenario files
		return nil, Errorf("--region: %s", msg)
	}
	if in.MonthHours <= 0 {
		in.MonthHours = billing.HoursPerMonth
	}
	book.MonthHours = in.MonthHours
	c := &Costing{Region: in.Region, TableClass: in.Class, Hours: in.Hours, MonthHours: in.MonthHours}
	c.Steps = append(c.Steps, fmt.Sprintf("prices: %s, %s table class, from the price file (scenarios/prices/prices.yaml); %s h; a month of %s",
		in.Region, in.Class, Num(in.Hours), billing.MonthName(in.MonthHours)))
	// A Meter holds GB-months of billing.HoursPerMonth; Itemize restates
	// them in the book's month.
	gbMonths := float64(in.Storage) / (1 << 30) * in.Hours / billing.HoursPerMonth
	prov, od := in.Provisioned, in.OnDemand
	var meters []billing.Meter
	var modes []string
	if prov {
		meters = append(meters, billing.Meter{RCUHours: float64(in.RCU) * in.Hours, WCUHours: float64(in.WCU) * in.Hours,
			GBMonths: gbMonths, Standard: in.Class == "standard"})
		modes = append(modes, "provisioned")
	}
	if od {
		meters = append(meters, billing.Meter{ReadUnits: in.Reads, WriteUnits: in.Writes, GBMonths: gbMonths, Standard: in.Class == "standard"})
		modes = append(modes, "on-demand")
	}
	if len(meters) == 0 {
		meters = append(meters, billing.Meter{GBMonths: gbMonths, Standard: in.Class == "standard"})
		modes = append(modes, "storage")
	}
	for i := range meters {
		meters[i].StreamReadUnits = in.StreamReads
	}
	for i, m := range meters {
		// Each mode is its own bill (one table, priced two ways), so
		// each gets the whole free tier.
		charges := billing.Itemize([]billing.Meter{m}, []billing.PriceBook{book}, in.Hours, in.FreeTier)
		bill := ModeBill{Mode: modes[i]}
		if len(meters) > 1 {
			c.Steps = append(c.Steps, modes[i]+":")
		}
		for _, ch := range charges {
			l := BillLine{Item: ch.Item, Unit: ch.Unit, Quantity: ch.Quantity, Free: ch.Free, Price: ch.Price, USD: ch.USD}
			l.Step = costStep(in, ch)
			bill.Lines = append(bill.Lines, l)
			bill.TotalUSD += ch.USD
			c.Steps = append(c.Steps, "  "+l.Step)
		}
		bill.MonthlyUSD = bill.TotalUSD * in.MonthHours / in.Hours
		month := ""
		if in.Hours != in.MonthHours {
			month = fmt.Sprintf(" (%s a month of %s h)", reports.USD(bill.MonthlyUSD), Num(in.MonthHours))
		}
		c.Steps = append(c.Steps, fmt.Sprintf("  total %s for %s h%s", reports.USD(bill.TotalUSD), Num(in.Hours), month))
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
	if be, err := BreakEvenUtilization(&scenarios.Scenario{Region: in.Region,
		Tables: []scenarios.Table{{TableClass: in.Class}}}); err == nil {
		c.BreakEven = be
		c.Steps = append(c.Steps, fmt.Sprintf("break-even: an RCU-hour (%s) serves up to 3,600 reads, which on demand cost 3,600 x %s = %s; provisioned is cheaper above %s / %s = %s average utilisation",
			priceText(book.RCUHour), priceText(book.ReadRequestUnit), priceText(3600*book.ReadRequestUnit),
			priceText(book.RCUHour), priceText(3600*book.ReadRequestUnit), reports.Percent(be.Reads, 1)))
		c.Steps = append(c.Steps, fmt.Sprintf("break-even for writes: a WCU-hour (%s) against 3,600 x %s = %s: provisioned is cheaper above %s",
			priceText(book.WCUHour), priceText(book.WriteRequestUnit), priceText(3600*book.WriteRequestUnit), reports.Percent(be.Writes, 1)))
	}
	if prov && od {
		u := &BreakEven{}
		var parts []string
		if in.RCU > 0 && in.Reads > 0 {
			u.Reads = in.Reads / (float64(in.RCU) * 3600 * in.Hours)
			parts = append(parts, fmt.Sprintf("reads %s / (%s RCU x 3,600 s x %s h) = %s", Num(in.Reads), Num(float64(in.RCU)), Num(in.Hours), reports.Percent(u.Reads, 1)))
		}
		if in.WCU > 0 && in.Writes > 0 {
			u.Writes = in.Writes / (float64(in.WCU) * 3600 * in.Hours)
			parts = append(parts, fmt.Sprintf("writes %s / (%s WCU x 3,600 s x %s h) = %s", Num(in.Writes), Num(float64(in.WCU)), Num(in.Hours), reports.Percent(u.Writes, 1)))
		}
		if len(parts) > 0 {
			c.Utilization = u
			c.Steps = append(c.Steps, "utilisation of the provisioned capacity by the on-demand traffic: "+strings.Join(parts, "; "))
		}
	}
	return c, nil
}

// costStep shows one charge's arithmetic.
func costStep(in CostInput, ch billing.Charge) string {
	var qty string
	switch ch.Item {
	case billing.ItemReadCapacity:
		qty = fmt.Sprintf("%s RCU x %s h = %s %s", Num(float64(in.RCU)), Num(in.Hours), Num(ch.Quantity), ch.Unit)
	case billing.ItemWriteCapacity:
		qty = fmt.Sprintf("%s WCU x %s h = %s %s", Num(float64(in.WCU)), Num(in.Hours), Num(ch.Quantity), ch.Unit)
	case billing.ItemReadRequests:
		qty = Num(ch.Quantity) + " " + ch.Unit
		if in.ReadRate != "" {
			qty = fmt.Sprintf("%s x 3,600 s x %s h = %s", in.ReadRate, Num(in.Hours), qty)
		}
	case billing.ItemWriteRequests:
		qty = Num(ch.Quantity) + " " + ch.Unit
		if in.WriteRate != "" {
			qty = fmt.Sprintf("%s x 3,600 s x %s h = %s", in.WriteRate, Num(in.Hours), qty)
		}
	case billing.ItemStorage:
		month := "1 month"
		if in.Hours != in.MonthHours {
			month = fmt.Sprintf("%s/%s h", Num(in.Hours), Num(in.MonthHours))
		}
		qty = fmt.Sprintf("%s x %s = %s %s", Size(int(in.Storage)), month, Num(ch.Quantity), ch.Unit)
	default:
		qty = Num(ch.Quantity) + " " + ch.Unit
	}
	if ch.Free > 0 {
		qty = fmt.Sprintf("(%s - %s free)", qty, Num(ch.Free))
	}
	return fmt.Sprintf("%-15s %s x %s = %s", strings.ReplaceAll(ch.Item, "_", " "), qty, priceText(ch.Price), reports.USD(ch.USD))
}
