package advise

// The reconstruction check: a scenario imported from CloudWatch carries
// what the tables consumed over the window it came from (history:);
// compare prices those totals with the scenario's price book and sets
// them beside what the matching run was billed, so that a simulation can
// be trusted for the other modes only when it reproduces the real bill.

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/ddbsim/ddbsim/model/billing"
	"github.com/ddbsim/ddbsim/reports"
	"github.com/ddbsim/ddbsim/scenarios"
)

// ThroughputOnly says what the reconstruction leaves out: CloudWatch's
// consumed and provisioned capacity metrics hold no storage, stream reads
// or backups, so neither side of the check counts them.
const ThroughputOnly = "throughput only: storage, streams and backups are not in these metrics"

// Reconstruction is one history table's recorded window priced (from the
// metrics) beside the simulated bill for the same line items.
type Reconstruction struct {
	Table string    `json:"table"`
	From  time.Time `json:"from"`
	To    time.Time `json:"to"`
	Hours float64   `json:"hours"`
	// BilledMode is the capacity mode the table was billed in over the
	// window: "on-demand" or "provisioned".
	BilledMode string `json:"billed_mode"`
	// The totals CloudWatch recorded over the window (TableHistory).
	ReadUnits          float64 `json:"read_units"`
	WriteUnits         float64 `json:"write_units"`
	ReadCapacityHours  float64 `json:"read_capacity_hours"`
	WriteCapacityHours float64 `json:"write_capacity_hours"`
	MissingMinutes     int     `json:"missing_minutes"`
	// MetricsUSD is the bill the totals imply with the scenario's price
	// book: on-demand, read units x the read request unit price plus
	// write units x the write request unit price; provisioned, RCU-hours x
	// the RCU-hour price plus WCU-hours x the WCU-hour price (REFERENCE:
	// prices). Throughput only (Scope).
	MetricsUSD float64 `json:"metrics_usd"`
	Scope      string  `json:"scope"`
	// SimulatedMode is the compared run that matches BilledMode:
	// on-demand for on-demand, autoscaling for a provisioned table with
	// auto scaling, else provisioned.
	SimulatedMode string `json:"simulated_mode"`
	// SimulatedUSD is that run's bill for the table's throughput line
	// items, its global secondary indexes included, before the free tier
	// (as MetricsUSD is); Difference is
	// SimulatedUSD - MetricsUSD, DifferencePercent that over MetricsUSD
	// (absent when MetricsUSD is 0). All three are absent when NoSimulated
	// says why there is no simulated figure.
	SimulatedUSD      *float64 `json:"simulated_usd,omitempty"`
	DifferenceUSD     *float64 `json:"difference_usd,omitempty"`
	DifferencePercent *float64 `json:"difference_percent,omitempty"`
	NoSimulated       string   `json:"no_simulated,omitempty"`
}

// HistoryWindow is what each compared mode cost over the imported window
// (Result.Cost.TotalUSD of runs as long as the window): last month's
// traffic priced in every mode, in the window's dollars.
type HistoryWindow struct {
	From  time.Time `json:"from"`
	To    time.Time `json:"to"`
	Hours float64   `json:"hours"`
	// Modes are the modes in the comparison's order; absent when
	// NoWindowCost says why the runs do not cover the window.
	Modes        []WindowCost `json:"modes,omitempty"`
	NoWindowCost string       `json:"no_window_cost,omitempty"`
}

// WindowCost is one mode's cost over the imported window.
type WindowCost struct {
	Mode string  `json:"mode"`
	USD  float64 `json:"usd"`
}

// throughputItems are the line items of a table's bill that the capacity
// metrics account for: request units on demand, capacity-hours (reserved
// and replicated included) provisioned.
var throughputItems = map[string]bool{
	billing.ItemReadRequests: true, billing.ItemWriteRequests: true, billing.ItemReplicatedWriteRequests: true,
	billing.ItemReadCapacity: true, billing.ItemWriteCapacity: true, billing.ItemReplicatedWriteCapacity: true,
	billing.ItemReservedRead: true, billing.ItemReservedWrite: true,
}

// reconstruct checks cmp's runs against sc.History: a Reconstruction per
// history table and the window's cost in each mode. An error is a history
// table the scenario does not have or a price book that cannot be made.
func reconstruct(sc *scenarios.Scenario, cmp *Comparison) ([]Reconstruction, *HistoryWindow, error) {
	h := sc.History
	hours := h.To.Sub(h.From).Hours()
	window := &HistoryWindow{From: h.From, To: h.To, Hours: hours}
	runHours, covers := runsCoverWindow(cmp, h)
	if covers {
		for i, m := range cmp.Modes {
			if r := cmp.Results[i]; r != nil && r.Cost != nil {
				window.Modes = append(window.Modes, WindowCost{Mode: m.Mode, USD: r.Cost.TotalUSD})
			}
		}
	} else {
		window.NoWindowCost = notTheWindow(runHours, hours)
	}
	region := sc.Region
	if region == "" {
		region = "us-east-1"
	}
	out := make([]Reconstruction, 0, len(h.Tables))
	for i, th := range h.Tables {
		t := sc.Table(th.Table)
		if t == nil {
			return nil, nil, fmt.Errorf("%s:%d:%d: history.tables[%d].table: %q is not a table of the scenario", sc.File, th.Pos.Line, th.Pos.Col, i, th.Table)
		}
		class := t.TableClass
		if class == "" {
			class = "standard"
		}
		book, err := scenarios.PriceBook(region, class, sc.Prices, "")
		if err != nil {
			return nil, nil, fmt.Errorf("%s:%d:%d: history.tables[%d]: %w", sc.File, th.Pos.Line, th.Pos.Col, i, err)
		}
		rc := Reconstruction{
			Table: th.Table, From: h.From, To: h.To, Hours: hours, BilledMode: th.Mode,
			ReadUnits: th.ReadUnits, WriteUnits: th.WriteUnits,
			ReadCapacityHours: th.ReadCapacityHours, WriteCapacityHours: th.WriteCapacityHours,
			MissingMinutes: th.Missing, Scope: ThroughputOnly,
		}
		switch th.Mode {
		case ModeOnDemand:
			rc.MetricsUSD = th.ReadUnits*book.ReadRequestUnit + th.WriteUnits*book.WriteRequestUnit
			rc.SimulatedMode = ModeOnDemand
		default: // provisioned
			rc.MetricsUSD = th.ReadCapacityHours*book.RCUHour + th.WriteCapacityHours*book.WCUHour
			rc.SimulatedMode = ModeProvisioned
			if t.AutoScaling != nil {
				rc.SimulatedMode = ModeAutoscaling
			}
		}
		rc.MetricsUSD = round6(rc.MetricsUSD)
		res := runOf(cmp, rc.SimulatedMode)
		switch {
		case res == nil:
			rc.NoSimulated = fmt.Sprintf("the %s mode was not run (compare --modes)", rc.SimulatedMode)
		case res.Cost == nil:
			rc.NoSimulated = fmt.Sprintf("the %s run has no bill", rc.SimulatedMode)
		case !covers:
			rc.NoSimulated = notTheWindow(runHours, hours)
		default:
			sim := round6(throughputUSD(res.Cost.Lines, th.Table))
			diff := round6(sim - rc.MetricsUSD)
			rc.SimulatedUSD, rc.DifferenceUSD = &sim, &diff
			if rc.MetricsUSD != 0 {
				pct := math.Round(diff/rc.MetricsUSD*100*1e4) / 1e4
				rc.DifferencePercent = &pct
			}
		}
		out = append(out, rc)
	}
	return out, window, nil
}

// runsCoverWindow reports the runs' length in hours and whether they
// cover exactly the history's window: every compared run has one duration
// (compare --duration changes it), and a run cut short covers less.
func runsCoverWindow(cmp *Comparison, h *scenarios.History) (float64, bool) {
	want := h.To.Sub(h.From).Seconds()
	for _, r := range cmp.Results {
		if r == nil {
			continue
		}
		return r.DurationS / 3600, r.Complete && math.Abs(r.DurationS-want) < 0.5
	}
	return 0, false
}

// notTheWindow says why runs of runHours are not compared with a window of
// hours.
func notTheWindow(runHours, hours float64) string {
	return fmt.Sprintf("the runs cover %s h, not the window's %s h (compare --duration): no like-for-like figure",
		hoursText(runHours), hoursText(hours))
}

// runOf is the result of the compared mode, the run with the scenario's
// DAX clusters first, else the one without them.
func runOf(cmp *Comparison, mode string) *reports.Result {
	for _, name := range []string{mode, mode + noDAXSuffix} {
		for i, m := range cmp.Modes {
			if m.Mode == name && i < len(cmp.Results) {
				return cmp.Results[i]
			}
		}
	}
	return nil
}

// throughputUSD is what lines bill for table's throughput: its own lines
// and its global secondary indexes', which the service runs as tables
// named "<table>/<index>" (reports.TableInfo); a global table's replicas
// ("<table>@<region>") are billed in their own regions and left out.
// The free tier stays on: the metrics side does not take it off either,
// since the account's free units are not the table's.
func throughputUSD(lines []reports.CostLine, table string) float64 {
	sum := 0.0
	for _, l := range lines {
		if (l.Table == table || strings.HasPrefix(l.Table, table+"/")) && throughputItems[l.Item] {
			sum += l.USD + l.Free*l.PriceUSD
		}
	}
	return sum
}

// round6 rounds dollars to millionths, as the result's cost is.
func round6(x float64) float64 { return math.Round(x*1e6) / 1e6 }

// hoursText writes hours to two decimals at most, without trailing
// zeros: "720", "0.25".
func hoursText(h float64) string {
	s := strconv.FormatFloat(math.Round(h*100)/100, 'f', -1, 64)
	whole, frac, found := strings.Cut(s, ".")
	if found {
		frac = "." + frac
	}
	return reports.CommasText(whole) + frac
}

// writeReconstruction prints the reconstruction check under the compare
// table: each mode's cost over the imported window, then each history
// table's bill from the metrics beside the simulated one. It prints
// nothing for a comparison without a history.
func writeReconstruction(w io.Writer, cmp *Comparison) {
	if cmp.Window == nil {
		return
	}
	win := cmp.Window
	fmt.Fprintf(w, "\nover the imported window %s to %s (%s h):\n", dayText(win.From), dayText(win.To), hoursText(win.Hours))
	if win.NoWindowCost != "" {
		fmt.Fprintf(w, "  no cost per mode: %s\n", win.NoWindowCost)
	} else {
		width := len("mode")
		for _, m := range win.Modes {
			width = max(width, len(m.Mode))
		}
		fmt.Fprintf(w, "%-*s  cost\n", width, "mode")
		for _, m := range win.Modes {
			fmt.Fprintf(w, "%-*s  %s\n", width, m.Mode, reports.USD(m.USD))
		}
	}
	for _, rc := range cmp.Reconstruction {
		fmt.Fprintf(w, "reconstruction of %s (billed %s), %s:\n", rc.Table, rc.BilledMode, strings.SplitN(rc.Scope, ":", 2)[0])
		quantities := fmt.Sprintf("%s read units, %s write units", unitsText(rc.ReadUnits), unitsText(rc.WriteUnits))
		if rc.BilledMode == ModeProvisioned {
			quantities = fmt.Sprintf("%s RCU-hours, %s WCU-hours", unitsText(rc.ReadCapacityHours), unitsText(rc.WriteCapacityHours))
		}
		fmt.Fprintf(w, "  from the metrics  %s  (%s)\n", reports.USD(rc.MetricsUSD), quantities)
		if rc.SimulatedUSD == nil {
			fmt.Fprintf(w, "  simulated         none: %s\n", rc.NoSimulated)
		} else {
			pct := ""
			if rc.DifferencePercent != nil {
				pct = " (" + signed(*rc.DifferencePercent, fmt.Sprintf("%.2f%%", math.Abs(*rc.DifferencePercent))) + ")"
			}
			fmt.Fprintf(w, "  simulated         %s  (%s run)   difference %s%s\n", reports.USD(*rc.SimulatedUSD), rc.SimulatedMode,
				signed(*rc.DifferenceUSD, usdCents(math.Abs(*rc.DifferenceUSD))), pct)
		}
		if rc.MissingMinutes > 0 {
			fmt.Fprintf(w, "  %s minutes of the window had no datapoint\n", reports.Commas(int64(rc.MissingMinutes)))
		}
	}
	fmt.Fprintf(w, "(%s)\n", ThroughputOnly)
}

// signed puts the sign of x before abs, x's magnitude as text: "+$1.20",
// "-0.50%", and none when abs reads as zero.
func signed(x float64, abs string) string {
	if abs == "$0.00" || abs == "0.00%" {
		return abs
	}
	if x < 0 {
		return "-" + abs
	}
	return "+" + abs
}

// usdCents writes dollars to the cent: "$0.00", "$0.42", "$1,234.50".
func usdCents(x float64) string {
	if x >= 1 {
		return reports.USD(x)
	}
	return fmt.Sprintf("$%.2f", x)
}

// unitsText writes a count of units: whole with thousands separators,
// else to three decimals.
func unitsText(x float64) string {
	if x == math.Trunc(x) && math.Abs(x) < 1e15 {
		return reports.Commas(int64(x))
	}
	whole := math.Trunc(x)
	return reports.CommasText(fmt.Sprintf("%.0f", whole)) + strings.TrimPrefix(fmt.Sprintf("%.3f", x-whole), "0")
}

// dayText writes a window's bound as its date when it is a midnight UTC,
// else to the second.
func dayText(t time.Time) string {
	t = t.UTC()
	if t.Equal(t.Truncate(24 * time.Hour)) {
		return t.Format(time.DateOnly)
	}
	return t.Format(time.RFC3339)
}
