package reports

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/ddbsim/ddbsim/model/billing"
	"github.com/ddbsim/ddbsim/sim"
)

// WriteBill writes the run's bill line by line with its arithmetic: the
// units each table used, what the free tier covered, the price each unit
// was billed at (from the price data file, or the scenario's prices), and
// the dollars; then the total and the month it projects to.
func WriteBill(w io.Writer, r *Result) error {
	c := r.Cost
	if c == nil {
		_, err := fmt.Fprintln(w, "no prices: the run was not billed")
		return err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s  seed %d  %v of traffic\n\n", SafeName(r.Scenario), r.Seed, sim.FromSeconds(r.DurationS))
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "table\titem\tused\tunit\tfree tier\tbilled\tx price\t= USD\t")
	for _, l := range c.Lines {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\tx $%s\t= %s\t\n", SafeName(l.Table), LineItemLabel(l.Item),
			quantity(l.Quantity), l.Unit, quantity(l.Free), quantity(l.Quantity-l.Free), priceText(l.PriceUSD), USD(l.USD))
	}
	tw.Flush()
	fmt.Fprintf(&b, "\ntotal %s for the run", USD(c.TotalUSD))
	if c.MonthlyUSD > 0 {
		month := float64(billing.HoursPerMonth)
		if c.MonthHours > 0 {
			month = c.MonthHours
		}
		fmt.Fprintf(&b, "; %s a month (%s) if the run's traffic went on all month", USD(c.MonthlyUSD), billing.MonthName(month))
	}
	b.WriteString("\n")
	_, err := io.WriteString(w, trimTrailing(b.String()))
	return err
}

func quantity(x float64) string {
	if x == 0 {
		return "0"
	}
	return Sig3(x, 6)
}

// priceText shows a price with the figures it has, not rounded away:
// 0.000000125 stays whole.
func priceText(p float64) string {
	return strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.10f", p), "0"), ".")
}

// trimTrailing removes spaces tabwriter leaves at line ends.
func trimTrailing(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}
