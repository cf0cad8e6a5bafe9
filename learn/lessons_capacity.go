package learn

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/billing"
	"github.com/ddbsim/ddbsim/model/capacity"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/reports"
)

// Lessons on capacity: read consistency, the capacity modes and their
// break-even, hot partitions, burst and adaptive capacity, auto scaling.
// Each quotes its runs' results; the arithmetic it sets them against
// comes from the model's constants and the run's own price book.
func init() {
	registerLesson(consistencyLesson())
	registerLesson(capacityModesLesson())
	registerLesson(hotPartitionsLesson())
	registerLesson(burstAdaptiveLesson())
	registerLesson(autoscalingLesson())
}

// keyRangeWrite is the reason a partition's ceiling or share throttles a
// write with (REFERENCE: throttling).
var keyRangeWrite = model.TableWriteKeyRangeThroughputExceeded.String()

// consistencyLesson: the same 4 KB reads, strong, eventual and
// transactional, cost 1 : 0.5 : 2 read units, and strong reads are a
// little slower than eventual ones (REFERENCE: units, latency).
func consistencyLesson() *Lesson {
	kinds := []struct {
		label string
		c     units.Consistency
	}{{"strong", units.Strong}, {"eventual", units.Eventual}, {"transactional", units.Transactional}}
	const itemSize = 4 * 1024 // the lesson scenarios' items
	perRead := func(r *reports.Result) float64 {
		if r.Requests.Succeeded == 0 || len(r.Tables) == 0 {
			return 0
		}
		return r.Tables[0].ConsumedRCU / float64(r.Requests.Succeeded)
	}
	return &Lesson{
		name:  "consistency",
		title: "Read consistency: a 4 KB item costs 1 read unit strongly consistent, 0.5 eventually consistent, 2 in a transaction",
		runs: []lessonRun{
			{label: "strong", scenario: "consistency-strong"},
			{label: "eventual", scenario: "consistency-eventual"},
			{label: "transactional", scenario: "consistency-transactional"},
		},
		explain: func(w io.Writer, res []*reports.Result) {
			fmt.Fprintf(w, "The same read of a 4 KB item, %s a second for %s, three ways; units from each run's consumed capacity:\n",
				capRate(float64(res[0].Requests.Succeeded)/res[0].DurationS), fmtSeconds(res[0].DurationS))
			tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
			for i, r := range res {
				t := r.Tables[0]
				// labels padded to one width stay left-aligned in
				// right-aligned columns
				fmt.Fprintf(tw, "  %-13s\t%s reads\t%s RCU\t%s RCU a second\t%s a read\tp50 %s ms\t\n",
					kinds[i].label, reports.Commas(r.Requests.Succeeded), capNum(t.ConsumedRCU), capRate(t.MeanRCUPerS),
					trim(perRead(r)), trim(r.LatencyMs.P50))
			}
			tw.Flush()
			fmt.Fprintf(w, "A read unit covers 4 KB, so the item is one block: %s unit strong, %s eventual (half), %s transactional (double): %s : %s : %s.\n",
				units.ReadUnits(itemSize, units.Strong), units.ReadUnits(itemSize, units.Eventual), units.ReadUnits(itemSize, units.Transactional),
				trim(perRead(res[0])), trim(perRead(res[1])), trim(perRead(res[2])))
			fmt.Fprintf(w, "Strong reads go to the partition's leader: p50 %s ms against %s ms eventual (x%s); the one-item transaction's p50 is %s ms.\n",
				trim(res[0].LatencyMs.P50), trim(res[1].LatencyMs.P50), trim(res[0].LatencyMs.P50/res[1].LatencyMs.P50), trim(res[2].LatencyMs.P50))
		},
		claim: func(res []*reports.Result) error {
			if len(res) != 3 {
				return fmt.Errorf("%d runs, want 3", len(res))
			}
			var errs []string
			for i, r := range res {
				if r.Requests.Succeeded == 0 || r.Requests.Throttled+r.Requests.Errors > 0 {
					errs = append(errs, fmt.Sprintf("the %s run did not serve every read (%d ok, %d throttled, %d errors)",
						kinds[i].label, r.Requests.Succeeded, r.Requests.Throttled, r.Requests.Errors))
					continue
				}
				if got, want := perRead(r), units.ReadUnits(itemSize, kinds[i].c).Float(); math.Abs(got-want) > 1e-9 {
					errs = append(errs, fmt.Sprintf("%s reads of a 4 KB item cost %v units each, not %v", kinds[i].label, got, want))
				}
			}
			if s, e := res[0].LatencyMs.P50, res[1].LatencyMs.P50; !(s > e) {
				errs = append(errs, fmt.Sprintf("strong reads were not slower than eventual ones (p50 %v ms against %v ms)", s, e))
			}
			return capJoin(errs)
		},
		plots:    []string{"capacity-items", "capacity-items", "capacity-items"},
		takeaway: "round the item up to 4 KB blocks, then: strongly consistent = 1 RCU a block, eventually consistent (the default, may be stale) = 0.5, transactional = 2; strong reads are a little slower.",
	}
}

// capacityModesLesson: the same traffic on demand and provisioned, and
// the break-even utilisation above which provisioned is cheaper
// (REFERENCE: prices).
func capacityModesLesson() *Lesson {
	return &Lesson{
		name:  "capacity-modes",
		title: "On-demand or provisioned: provisioned is cheaper above about 29% average utilisation",
		runs: []lessonRun{
			{label: "steady", scenario: "capacity-modes-steady"},
			{label: "spiky", scenario: "capacity-modes-spiky"},
		},
		explain: func(w io.Writer, res []*reports.Result) {
			b, err := capBreakEven(res[0])
			if err != nil {
				fmt.Fprintf(w, "no break-even: %v\n", err)
				return
			}
			fmt.Fprintf(w, "Break-even at the run's prices: a WCU-hour costs $%s; the 3,600 writes it can serve in an hour cost 3,600 x $%s a million = $%s\n",
				capPrice(b.wcuHour), capPrice(b.writeUnit*1e6), capPrice(3600*b.writeUnit))
			fmt.Fprintf(w, "  on demand, so provisioned is cheaper when used above %s / %s = %s%% of its capacity on average.\n",
				capPrice(b.wcuHour), capPrice(3600*b.writeUnit), percentNumber(b.utilisation))
			for i, r := range res {
				name := capPick(i, "steady", "spiky")
				m, err := capModesOf(r)
				if err != nil {
					fmt.Fprintf(w, "%s: %v\n", name, err)
					continue
				}
				side, winner := "below", "on demand"
				if m.utilisation > b.utilisation {
					side = "above"
				}
				if m.provUSD < m.odUSD {
					winner = "provisioned"
				}
				fmt.Fprintf(w, "%s: %s writes in %s (mean %s, peak %s a second); on %s WCU that is %s%% used, %s the break-even:\n",
					name, capNum(m.od.ConsumedWCU), fmtSeconds(r.DurationS), capRate(m.prov.MeanWCUPerS), capRate(m.prov.PeakWCUPerS),
					reports.Commas(m.prov.ProvisionedWCU), percentNumber(m.utilisation), side)
				fmt.Fprintf(w, "  on demand %s, provisioned %s for the run (%s and %s a month): %s is cheaper.\n",
					reports.USD(m.odUSD), reports.USD(m.provUSD), reports.USD(capMonthly(m.odUSD, r)), reports.USD(capMonthly(m.provUSD, r)), winner)
			}
		},
		claim: func(res []*reports.Result) error {
			if len(res) != 2 {
				return fmt.Errorf("%d runs, want 2", len(res))
			}
			b, err := capBreakEven(res[0])
			if err != nil {
				return err
			}
			var errs []string
			for i, r := range res {
				name := capPick(i, "steady", "spiky")
				m, err := capModesOf(r)
				if err != nil {
					errs = append(errs, fmt.Sprintf("%s: %v", name, err))
					continue
				}
				if r.Requests.ThrottleEvents > 0 {
					errs = append(errs, fmt.Sprintf("the %s run throttled %d times: the two modes did not serve the same traffic", name, r.Requests.ThrottleEvents))
				}
				provCheaper := m.provUSD < m.odUSD
				if want := i == 0; provCheaper != want {
					errs = append(errs, fmt.Sprintf("the %s run cost %s on demand and %s provisioned", name, reports.USD(m.odUSD), reports.USD(m.provUSD)))
				}
				if above := m.utilisation > b.utilisation; above != provCheaper {
					errs = append(errs, fmt.Sprintf("the %s run's utilisation %s%% and the break-even %s%% disagree with its costs",
						name, percentNumber(m.utilisation), percentNumber(b.utilisation)))
				}
			}
			return capJoin(errs)
		},
		plots:    []string{"cost", "cost"},
		takeaway: "provisioned bills the capacity whether used or not, on demand each request (about 3.5x a fully used WCU): steady, predictable traffic above ~29% utilisation is cheaper provisioned; spiky, unpredictable or mostly idle traffic is cheaper on demand.",
	}
}

// capPrices are the prices a capacity-modes run was billed at, and the
// break-even utilisation they give.
type capPrices struct {
	wcuHour, writeUnit, utilisation float64
}

// capBreakEven prices a WCU-hour against the 3,600 write request units
// it serves in an hour, at the run's own prices.
func capBreakEven(r *reports.Result) (capPrices, error) {
	m, err := capModesOf(r)
	if err != nil {
		return capPrices{}, err
	}
	hour, ok1 := capLine(r, m.prov.Name, "write_capacity")
	unit, ok2 := capLine(r, m.od.Name, "write_requests")
	if !ok1 || !ok2 || unit.PriceUSD <= 0 {
		return capPrices{}, errors.New("the run's bill has no write capacity or write request price")
	}
	return capPrices{wcuHour: hour.PriceUSD, writeUnit: unit.PriceUSD, utilisation: billing.BreakEven(hour.PriceUSD, unit.PriceUSD)}, nil
}

// capModesRun is a capacity-modes run's two tables and their bills.
type capModesRun struct {
	od, prov       *reports.TableResult
	odUSD, provUSD float64
	utilisation    float64 // the provisioned table's mean WCU / its WCU
}

func capModesOf(r *reports.Result) (capModesRun, error) {
	var m capModesRun
	for i := range r.Tables {
		switch t := &r.Tables[i]; t.Mode {
		case "on-demand":
			m.od = t
		case "provisioned":
			m.prov = t
		}
	}
	if m.od == nil || m.prov == nil || r.Cost == nil {
		return m, errors.New("the run needs an on-demand table, a provisioned table and a bill")
	}
	if m.prov.ProvisionedWCU <= 0 {
		return m, errors.New("the provisioned table has no write capacity")
	}
	m.odUSD, m.provUSD = capTableUSD(r, m.od.Name), capTableUSD(r, m.prov.Name)
	m.utilisation = m.prov.MeanWCUPerS / float64(m.prov.ProvisionedWCU)
	return m, nil
}

// hotPartitionsLesson: one hot key throttles at its partition's ceiling
// while the table has capacity to spare; write sharding removes it
// (REFERENCE: partitions, adaptive).
func hotPartitionsLesson() *Lesson {
	ceiling := float64(capacity.PartitionWriteCeiling)
	return &Lesson{
		name:  "hot-partitions",
		title: "Hot partitions: one hot key throttles at its partition's 1,000 WCU ceiling on a mostly idle table; sharding the key fixes it",
		runs: []lessonRun{
			{label: "hot", scenario: "hot-partitions-hot"},
			{label: "sharded", scenario: "hot-partitions-sharded"},
		},
		explain: func(w io.Writer, res []*reports.Result) {
			hot, sharded := res[0], res[1]
			t := hot.Tables[0]
			p := capHottestPartition(hot, 0)
			fmt.Fprintf(w, "hot: %s updates (1 KB) a second, most of them to one counter, on a %s WCU table of %d partitions, %s WCU each.\n",
				capRate(float64(hot.Requests.Total)/hot.DurationS), reports.Commas(t.ProvisionedWCU), t.Partitions,
				capRate(float64(t.ProvisionedWCU)/float64(t.Partitions)))
			fmt.Fprintf(w, "  The table used %s WCU a second, %s%% of its capacity, yet %s updates (%s%%) throttled: %s %s.\n",
				capRate(t.MeanWCUPerS), percentNumber(t.MeanWCUPerS/float64(t.ProvisionedWCU)), reports.Commas(hot.Requests.Throttled),
				percentNumber(hot.Ratios.Throttled), capAllOf(t.ThrottlesByReason[keyRangeWrite], hot.Requests.ThrottleEvents), keyRangeWrite)
			fmt.Fprintf(w, "  The hot counter's partition was asked for %s WCU a second and served %s in each of the %d seconds it throttled:\n",
				capRate(p.demand), capRate(p.served), p.throttledSeconds)
			fmt.Fprintf(w, "  a partition's ceiling, %s WCU, which burst and adaptive capacity never lift (the other %d partitions averaged %s WCU a second).\n",
				reports.Commas(capacity.PartitionWriteCeiling), t.Partitions-1, capRate(p.others))
			sp := capHottestPartition(sharded, 0)
			fmt.Fprintf(w, "sharded: the same traffic, each counter written as 10 keys (counter#0..#9): the busiest partition used %s WCU a second\n",
				capRate(sp.mean))
			fmt.Fprintf(w, "  (%s%% of its ceiling), %s throttles, and the table served all %s WCU a second.\n",
				percentNumber(sp.mean/ceiling), reports.Commas(sharded.Requests.ThrottleEvents), capRate(sharded.Tables[0].MeanWCUPerS))
		},
		claim: func(res []*reports.Result) error {
			if len(res) != 2 {
				return fmt.Errorf("%d runs, want 2", len(res))
			}
			var errs []string
			hot, sharded := res[0], res[1]
			t := hot.Tables[0]
			if n := t.ThrottlesByReason[keyRangeWrite]; n == 0 || n != hot.Requests.ThrottleEvents {
				errs = append(errs, fmt.Sprintf("the hot run's throttles were not all %s: %v", keyRangeWrite, t.ThrottlesByReason))
			}
			if p := capHottestPartition(hot, 0); p.throttledSeconds == 0 || math.Abs(p.served-ceiling) > 0.01*ceiling {
				errs = append(errs, fmt.Sprintf("the hot partition served %.0f WCU a second while it throttled, not its %.0f WCU ceiling", p.served, ceiling))
			}
			if t.ProvisionedWCU == 0 || t.MeanWCUPerS > 0.5*float64(t.ProvisionedWCU) {
				errs = append(errs, fmt.Sprintf("the hot run's table used %v of %d WCU a second: not well under its capacity", t.MeanWCUPerS, t.ProvisionedWCU))
			}
			if sharded.Requests.ThrottleEvents != 0 || sharded.Requests.Succeeded == 0 {
				errs = append(errs, fmt.Sprintf("the sharded run throttled %d times", sharded.Requests.ThrottleEvents))
			}
			return capJoin(errs)
		},
		plots:    []string{"heatmap-counters", "heatmap-counters"},
		takeaway: "one partition key never gets more than 1,000 WCU / 3,000 RCU a second, whatever the table has: KeyRangeThroughputExceeded on a table under its capacity means a hot key; fix the key design (write sharding with a random or calculated suffix), not the capacity.",
	}
}

// capPartitionLoad is a table's busiest partition over a run, in write
// units a second.
type capPartitionLoad struct {
	// demand is what it was asked for, served and throttled (a throttle
	// counted as one unit: the lessons write 1 KB items); mean what it
	// served over the run; served its mean in the seconds it throttled,
	// throttledSeconds how many there were; others the mean of the other
	// partitions.
	demand, mean, served, others float64
	throttledSeconds             int
}

func capHottestPartition(r *reports.Result, table int) capPartitionLoad {
	var out capPartitionLoad
	if r.Series == nil || table >= len(r.Series.Tables) || r.DurationS <= 0 {
		return out
	}
	ts := &r.Series.Tables[table]
	sums := make([]float64, len(ts.PartitionWrite))
	best, total := -1, 0.0
	for p, s := range ts.PartitionWrite {
		for _, u := range s {
			sums[p] += u.Float()
		}
		total += sums[p]
		if best < 0 || sums[p] > sums[best] {
			best = p
		}
	}
	if best < 0 {
		return out
	}
	out.mean = sums[best] / r.DurationS
	var throttles int64
	if best < len(ts.PartitionThrottles) {
		var served float64
		// A point of the partition series covers k of the series'
		// indexes (TableSeries.PartitionStep).
		k := ts.PartitionStride(r.Series.Step)
		for s, n := range ts.PartitionThrottles[best] {
			throttles += n
			if n > 0 && s < len(ts.PartitionWrite[best]) {
				served += ts.PartitionWrite[best][s].Float()
				out.throttledSeconds += k
			}
		}
		if out.throttledSeconds > 0 {
			out.served = served / float64(out.throttledSeconds)
		}
	}
	out.demand = (sums[best] + float64(throttles)) / r.DurationS
	if n := len(sums) - 1; n > 0 {
		out.others = (total - sums[best]) / float64(n) / r.DurationS
	}
	return out
}

// burstAdaptiveLesson: burst credit is 300 s of unused capacity, spent
// above the rate until it runs out; adaptive capacity lends a partition
// short of its share the table's unused capacity (REFERENCE: burst,
// adaptive).
func burstAdaptiveLesson() *Lesson {
	window := model.DefaultParams().BurstWindow.Seconds()
	return &Lesson{
		name:  "burst-adaptive",
		title: "Burst and adaptive capacity: 300 s of unused capacity banked for spikes, and a busy partition borrowing the table's idle capacity",
		runs: []lessonRun{
			{label: "burst", scenario: "burst-adaptive-burst"},
			{label: "adaptive", scenario: "burst-adaptive-adaptive"},
			{label: "no-adaptive", scenario: "burst-adaptive-no-adaptive"},
		},
		explain: func(w io.Writer, res []*reports.Result) {
			b := capBurstOf(res[0])
			fmt.Fprintf(w, "burst: a %s WCU table idle for %s banked %s units of burst credit: %s s of its rate, the most a partition keeps (not %s s).\n",
				capRate(b.rate), capClock(b.start), capNum(b.bank), trim(b.bank/b.rate), trim(b.start))
			fmt.Fprintf(w, "  At %s, %s writes a second arrived, %s above the rate: the bank lasted %s / %s = %s s, and throttling began at %s\n",
				capClock(b.start), capRate(b.demand), capRate(b.demand-b.rate), capNum(b.bank), capRate(b.demand-b.rate),
				trim(b.expected()-b.start), capClock(b.firstThrottle))
			fmt.Fprintf(w, "  (%s + %s s = %s expected); then %s writes a second throttled, %s in all.\n",
				capClock(b.start), trim(b.expected()-b.start), capClock(b.expected()), capRate(b.throttledPerS), reports.Commas(res[0].Requests.Throttled))
			on, off := res[1], res[2]
			t := off.Tables[0]
			fmt.Fprintf(w, "adaptive: one key writes %s a second on a %s WCU table of %d partitions (a share of %s WCU each), no burst credit banked:\n",
				capRate(float64(on.Requests.Total)/on.DurationS), reports.Commas(t.ProvisionedWCU), t.Partitions,
				capRate(float64(t.ProvisionedWCU)/float64(t.Partitions)))
			fmt.Fprintf(w, "  adaptive capacity lends its partition the idle ones' capacity, %s WCU a second served, %s throttles. Without it (service: {adaptive: false})\n",
				capRate(on.Tables[0].MeanWCUPerS), reports.Commas(on.Requests.ThrottleEvents))
			fmt.Fprintf(w, "  it is held to its share, %s WCU a second: %s of %s writes (%s%%) throttled, %s, with %s WCU a second unused.\n",
				capRate(t.MeanWCUPerS), reports.Commas(off.Requests.Throttled), reports.Commas(off.Requests.Total), percentNumber(off.Ratios.Throttled),
				strings.Join(slices.Sorted(maps.Keys(t.ThrottlesByReason)), ", "), capRate(float64(t.ProvisionedWCU)-t.MeanWCUPerS))
		},
		claim: func(res []*reports.Result) error {
			if len(res) != 3 {
				return fmt.Errorf("%d runs, want 3", len(res))
			}
			var errs []string
			b := capBurstOf(res[0])
			switch {
			case b.rate <= 0 || b.start <= 0 || b.demand <= b.rate:
				errs = append(errs, fmt.Sprintf("the burst run has no idle start followed by demand above the rate (rate %v, demand %v from %v s)", b.rate, b.demand, b.start))
			case math.Abs(b.bank-window*b.rate) > 0.01*window*b.rate:
				errs = append(errs, fmt.Sprintf("the burst run banked %v units, not %v s x %v WCU", b.bank, window, b.rate))
			case b.firstThrottle < 0:
				errs = append(errs, "the burst run never throttled")
			case math.Abs(b.firstThrottle-b.expected()) > 3:
				errs = append(errs, fmt.Sprintf("the burst run first throttled at %s, not at %s when the bank runs out", capClock(b.firstThrottle), capClock(b.expected())))
			}
			if on := res[1]; on.Requests.ThrottleEvents != 0 || on.Requests.Succeeded == 0 {
				errs = append(errs, fmt.Sprintf("with adaptive capacity the hot partition throttled %d times", on.Requests.ThrottleEvents))
			}
			off := res[2]
			if t := off.Tables[0]; t.ThrottlesByReason[keyRangeWrite] == 0 || off.Ratios.Throttled < 0.25 {
				errs = append(errs, fmt.Sprintf("without adaptive capacity only %s%% throttled (%v)", percentNumber(off.Ratios.Throttled), t.ThrottlesByReason))
			}
			return capJoin(errs)
		},
		plots:    []string{"capacity-events", "throughput", "throughput"},
		takeaway: "burst capacity keeps up to 300 s of a partition's unused capacity for short spikes (best effort, never above the partition ceiling); adaptive capacity lets a hot partition use the table's unused capacity at once, up to the table's total and the 1,000 WCU / 3,000 RCU ceiling.",
	}
}

// capBurstRun is what the burst run of burst-adaptive did.
type capBurstRun struct {
	rate   float64 // the table's provisioned WCU
	start  float64 // the first second with traffic
	demand float64 // writes a second from start on
	// bank is the most credit the table held before the traffic: the
	// series' burst credit, what is banked beyond the current second,
	// plus that second's rate, which the 300 s bucket also holds.
	bank float64
	// firstThrottle is when throttling began (capThrottleStart), -1 for
	// none; throttledPerS the throttled requests a second from then on.
	firstThrottle, throttledPerS float64
}

// expected is when the bank runs out at the run's demand.
func (b capBurstRun) expected() float64 { return b.start + b.bank/(b.demand-b.rate) }

func capBurstOf(r *reports.Result) capBurstRun {
	b := capBurstRun{firstThrottle: -1}
	if len(r.Tables) == 0 || r.Series == nil || len(r.Series.Tables) == 0 {
		return b
	}
	ts := &r.Series.Tables[0]
	b.rate = float64(r.Tables[0].ProvisionedWCU)
	first := capFirst(ts.Offered)
	if first < 0 || first >= len(ts.WriteBurst) {
		return b
	}
	b.start = float64(first)
	b.demand = float64(capSum(ts.Offered[first:])) / (r.DurationS - b.start)
	var banked float64
	for _, u := range ts.WriteBurst[:first] {
		banked = max(banked, u.Float())
	}
	b.bank = banked + b.rate
	if s := capThrottleStart(ts); s >= 0 {
		b.firstThrottle = float64(s)
		b.throttledPerS = float64(capSum(ts.Throttled[s:])) / (r.DurationS - b.firstThrottle)
	}
	return b
}

// aboveOrWithin says where a utilisation stands against the 70% target.
func aboveOrWithin(utilization float64) string {
	if utilization > 0.7 {
		return "above"
	}
	return "within"
}

// autoscalingLesson: auto scaling reacts to a spike minutes late, after
// two one-minute datapoints above target and the update's delay; until
// then the table throttles (REFERENCE: provisioned).
func autoscalingLesson() *Lesson {
	delay := model.DefaultParams().UpdateDelay.Seconds()
	return &Lesson{
		name:  "autoscaling",
		title: "Auto scaling lags a spike: throttling for the first minutes, until the scale-out lands",
		runs:  []lessonRun{{label: "spike", scenario: "autoscaling-spike"}},
		explain: func(w io.Writer, res []*reports.Result) {
			r := res[0]
			a := capAutoscalingOf(r)
			t := r.Tables[0]
			extra := a.after - float64(t.ProvisionedWCU)
			fmt.Fprintf(w, "A %s WCU table with auto scaling (target 70%%) took %s writes a second, then %s from %s. Its burst credit,\n",
				reports.Commas(t.ProvisionedWCU), capRate(a.before), capRate(a.after), capClock(a.spike))
			fmt.Fprintf(w, "  %s units, paid for the extra %s a second for %s / %s = %s s: throttling began at %s.\n",
				capNum(a.bank), capRate(extra), capNum(a.bank), capRate(extra), trim(a.bank/extra), capClock(a.firstThrottle))
			if a.requested == nil || a.applied == nil {
				fmt.Fprintf(w, "Auto scaling never raised the capacity.\n")
				return
			}
			fmt.Fprintf(w, "After 2 one-minute datapoints above target, at %s it asked for %s WCU: consumed / target, and throttled writes are not consumed,\n",
				capClock(a.requested.TimeS), reports.Commas(a.requested.WCU))
			// The request is consumed / 0.7: it sizes for the writes that
			// got through, so even one above the offered rate runs it
			// above target, and another step follows.
			asked := float64(a.requested.WCU)
			fmt.Fprintf(w, "  so it sized for the %s a second that got through, not the %s offered, which fill %s%% of %s WCU, %s the target. The update took %s and landed at %s, %s into the spike.\n",
				capRate(asked*0.7), capRate(a.after), percentNumber(a.after/asked), reports.Commas(a.requested.WCU), aboveOrWithin(a.after/asked),
				capClock(a.applied.TimeS-a.requested.TimeS), capClock(a.applied.TimeS), capClock(a.applied.TimeS-a.spike))
			fmt.Fprintf(w, "Throttling ran from %s to %s: %s throttle events, %s%% of them before the new capacity; %s writes (%s%%) failed after the SDK's retries.\n",
				capClock(a.firstThrottle), capClock(a.lastThrottle), reports.Commas(r.Requests.ThrottleEvents), percentNumber(a.earlyShare),
				reports.Commas(r.Requests.Throttled), percentNumber(r.Ratios.Throttled))
			fmt.Fprintf(w, "Capacity went %s WCU (each step 2 datapoints above target, then the update), ending at %s against %s at the start.\n",
				strings.Join(a.steps, " -> "), capRate(t.FinalWCU), reports.Commas(t.ProvisionedWCU))
		},
		claim: func(res []*reports.Result) error {
			if len(res) != 1 {
				return fmt.Errorf("%d runs, want 1", len(res))
			}
			r := res[0]
			a := capAutoscalingOf(r)
			t := r.Tables[0]
			var errs []string
			if r.Requests.ThrottleEvents == 0 {
				errs = append(errs, "the spike never throttled")
			}
			if a.applied == nil {
				errs = append(errs, "auto scaling applied no capacity increase")
			} else {
				// The alarm's two datapoints may start up to a minute
				// after the spike, then the update takes its delay.
				if lag := a.applied.TimeS - a.spike; lag > 3*60+delay {
					errs = append(errs, fmt.Sprintf("the first increase landed %s after the spike, later than 2 datapoints and the update delay", capClock(lag)))
				}
				if a.earlyShare < 0.99 {
					errs = append(errs, fmt.Sprintf("only %s%% of the throttling came before the first increase landed", percentNumber(a.earlyShare)))
				}
			}
			if t.FinalWCU <= float64(t.ProvisionedWCU) {
				errs = append(errs, fmt.Sprintf("the final capacity %v WCU is not above the initial %d", t.FinalWCU, t.ProvisionedWCU))
			}
			return capJoin(errs)
		},
		plots:    []string{"capacity-orders"},
		takeaway: "auto scaling is target tracking on CloudWatch: 2 consecutive one-minute datapoints above target, then minutes of table update, so a sudden spike throttles first (beyond what burst covers); it suits gradual change; for sudden spikes use on-demand or scale up ahead (scheduled).",
	}
}

// capAutoscalingRun is what the autoscaling lesson's run did.
type capAutoscalingRun struct {
	spike         float64 // the second the rate jumped
	before, after float64 // writes offered a second before and after it
	bank          float64 // burst credit when the spike came, in units
	// firstThrottle is when throttling began (capThrottleStart),
	// lastThrottle the last second with a throttle event.
	firstThrottle, lastThrottle float64
	requested, applied          *reports.CapacityEvent // the first scale-out
	// earlyShare is the share of throttle events in the seconds before
	// the first increase landed.
	earlyShare float64
	steps      []string // the capacity, initial then each applied update
}

func capAutoscalingOf(r *reports.Result) capAutoscalingRun {
	var a capAutoscalingRun
	if len(r.Tables) == 0 || r.Series == nil || len(r.Series.Tables) == 0 {
		return a
	}
	ts := &r.Series.Tables[0]
	off := ts.Offered
	// The spike is the first second offered more than twice the first.
	for s := 1; s < len(off); s++ {
		if off[s] > 2*off[0] {
			a.spike = float64(s)
			a.before = float64(capSum(off[:s])) / float64(s)
			// the last second misses requests still in flight at the end
			if n := len(off) - 1 - s; n > 0 {
				a.after = float64(capSum(off[s:len(off)-1])) / float64(n)
			}
			if s-1 < len(ts.WriteBurst) {
				a.bank = ts.WriteBurst[s-1].Float() + float64(r.Tables[0].ProvisionedWCU)
			}
			break
		}
	}
	a.firstThrottle = float64(capThrottleStart(ts))
	a.lastThrottle = float64(capLast(ts.ThrottleEvents))
	a.steps = []string{reports.Commas(r.Tables[0].ProvisionedWCU)}
	for i := range r.CapacityEvents {
		e := &r.CapacityEvents[i]
		if e.Table != r.Tables[0].Name || e.Cause != "autoscaling" {
			continue
		}
		switch e.Kind {
		case "update requested":
			if a.requested == nil {
				a.requested = e
			}
		case "update applied":
			if a.applied == nil {
				a.applied = e
			}
			a.steps = append(a.steps, reports.Commas(e.WCU))
		}
	}
	if total := capSum(ts.ThrottleEvents); total > 0 && a.applied != nil {
		end := min(int(a.applied.TimeS), len(ts.ThrottleEvents))
		a.earlyShare = float64(capSum(ts.ThrottleEvents[:end])) / float64(total)
	}
	return a
}

// capThrottleStart is the first second in which at least 1% of the
// table's offered requests throttled, -1 for none. A bank that runs dry
// at a second's boundary can throttle the last request of the second
// before, which arrives a few milliseconds early: that one is not the
// start.
func capThrottleStart(ts *reports.TableSeries) int {
	for s, n := range ts.ThrottleEvents {
		if n > 0 && s < len(ts.Offered) && 100*n >= ts.Offered[s] {
			return s
		}
	}
	return -1
}

// capTableUSD is what a table's lines of the run's bill add up to.
func capTableUSD(r *reports.Result, table string) float64 {
	var usd float64
	if r.Cost != nil {
		for _, c := range r.Cost.Lines {
			if c.Table == table {
				usd += c.USD
			}
		}
	}
	return usd
}

// capLine is a table's line of the run's bill for a line item.
func capLine(r *reports.Result, table, item string) (reports.CostLine, bool) {
	if r.Cost != nil {
		for _, c := range r.Cost.Lines {
			if c.Table == table && c.Item == item {
				return c, true
			}
		}
	}
	return reports.CostLine{}, false
}

// capMonthly spreads what a run cost over a 730-hour month of its
// traffic, as the result's monthly_usd does.
func capMonthly(usd float64, r *reports.Result) float64 {
	if r.DurationS <= 0 {
		return 0
	}
	return usd / (r.DurationS / 3600) * billing.HoursPerMonth
}

// capAllOf says how many of total n are: "all" or "n of them".
func capAllOf(n, total int64) string {
	if n == total {
		return "all"
	}
	return reports.Commas(n) + " of them"
}

// capClock writes seconds since the start as people read a clock:
// 750 -> "12m30s", 120 -> "2m", 45 -> "45s".
func capClock(s float64) string {
	t := int64(math.Round(s))
	m, sec := t/60, t%60
	switch {
	case m == 0:
		return fmt.Sprintf("%ds", sec)
	case sec == 0:
		return fmt.Sprintf("%dm", m)
	}
	return fmt.Sprintf("%dm%02ds", m, sec)
}

// capNum writes a number with thousands separators and at most two
// decimals: 2999.5 -> "2,999.5".
func capNum(v float64) string {
	s := trim(v)
	whole, frac, _ := strings.Cut(s, ".")
	n, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return s
	}
	out := reports.Commas(n)
	if n == 0 && strings.HasPrefix(whole, "-") {
		out = "-0"
	}
	if frac != "" {
		out += "." + frac
	}
	return out
}

// capRate writes a rate: whole from 10 up ("1,678"), else two decimals
// at most.
func capRate(v float64) string {
	if math.Abs(v) >= 10 {
		return reports.Commas(int64(math.Round(v)))
	}
	return trim(v)
}

// capPrice writes a price in dollars with up to four significant figures
// and no exponent: 0.00065 -> "0.00065".
func capPrice(x float64) string {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 4, 64), 64)
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// capPick picks a or b by index: capPick(0, a, b) = a.
func capPick(i int, a, b string) string {
	if i == 0 {
		return a
	}
	return b
}

func capSum(v []int64) int64 {
	var n int64
	for _, x := range v {
		n += x
	}
	return n
}

// capFirst and capLast are the index of the first and last positive
// element, -1 for none.
func capFirst(v []int64) int {
	for i, x := range v {
		if x > 0 {
			return i
		}
	}
	return -1
}

func capLast(v []int64) int {
	for i := len(v) - 1; i >= 0; i-- {
		if v[i] > 0 {
			return i
		}
	}
	return -1
}

// capJoin is nil for no errors, else one error saying them all.
func capJoin(errs []string) error {
	if len(errs) == 0 {
		return nil
	}
	return errors.New(strings.Join(errs, "; "))
}
