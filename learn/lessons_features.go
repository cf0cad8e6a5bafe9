package learn

import (
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ddbsim/ddbsim/model/billing"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/reports"
	"github.com/ddbsim/ddbsim/scenarios"
)

// The feature lessons: DAX, streams, global tables, global secondary
// indexes, TTL, and when not to use DynamoDB. Each runs short lesson
// scenarios (scenarios/lessons/), quotes their results, and checks what
// it teaches against them. Where a lesson needs the set-up of its
// scenario (a consumer's batch size, a region's client rate), it reads it
// from the lesson scenario, so the arithmetic follows the file.
func init() {
	registerLesson(daxLesson)
	registerLesson(streamsLesson)
	registerLesson(globalTablesLesson)
	registerLesson(gsiLesson)
	registerLesson(ttlLesson)
	registerLesson(notDynamoDBLesson)
}

// ---- dax ----

var daxLesson = &Lesson{
	name:  "dax",
	title: "DAX: microsecond hits for eventually consistent reads, and the reads and writes it does not speed up",
	runs: []lessonRun{
		{label: "eventual", scenario: "dax-eventual"},
		{label: "strong", scenario: "dax-strong"},
		{label: "no-dax", scenario: "dax-direct"},
	},
	explain: func(w io.Writer, res []*reports.Result) {
		ev, strong, direct := res[0], res[1], res[2]
		c := ev.Cache
		if c == nil || strong.Cache == nil || c.HitLatencyMs.P50 == 0 {
			fmt.Fprintln(w, "a run through DAX reported no cache hits")
			return
		}
		gets := ev.Operations["get"].Count
		fmt.Fprintf(w, "Through DAX, %s of %s eventually consistent gets hit the item cache (%s hit rate); %s missed and read the table.\n",
			reports.Commas(c.Hits), reports.Commas(gets), percent(c.HitRate), reports.Commas(c.Misses))
		fmt.Fprintf(w, "A hit took %s at p50, a miss %s (the table's read plus DAX); the same gets without DAX took %s: hits are %sx faster.\n",
			featMs(c.HitLatencyMs.P50), featMs(c.MissLatencyMs.P50), featMs(direct.Operations["get"].LatencyMs.P50),
			trim(direct.Operations["get"].LatencyMs.P50/c.HitLatencyMs.P50))
		fmt.Fprintf(w, "The hits saved the table %s read units (%s each, 1 KB eventually consistent): it consumed %s RCU/s, against %s without DAX.\n",
			featNum(c.SavedRCU), trim(c.SavedRCU/float64(max(1, c.Hits))), trim(ev.Tables[0].MeanRCUPerS), trim(direct.Tables[0].MeanRCUPerS))
		sc := strong.Cache
		fmt.Fprintf(w, "Read strongly consistent, the gets all passed through: %s hits, %s of %s gets sent to the table at %s p50, %s RCU/s (a full unit each).\n",
			reports.Commas(sc.Hits), reports.Commas(sc.PassThrough), reports.Commas(strong.Operations["get"].Count),
			featMs(strong.Operations["get"].LatencyMs.P50), trim(strong.Tables[0].MeanRCUPerS))
		fmt.Fprintf(w, "Writes are not faster: a put through DAX took %s at p50 (the table's write, then the cache), %s straight to the table.\n",
			featMs(c.WriteLatencyMs.P50), featMs(direct.Operations["put"].LatencyMs.P50))
	},
	claim:    daxClaim,
	plots:    []string{"cache-hit-rate", "", "latency"},
	takeaway: "DAX answers eventually consistent GetItem/Query repeats in microseconds and spares the table's read units; strongly consistent reads and transactions pass through, and writes are no faster (write-through): it is for read-heavy, latency-bound, eventually consistent traffic.",
}

func daxClaim(res []*reports.Result) error {
	ev, strong, direct := res[0], res[1], res[2]
	c := ev.Cache
	if c == nil || strong.Cache == nil {
		return errors.New("a run through DAX reported no cache")
	}
	tableGet := direct.Operations["get"].LatencyMs.P50
	switch {
	case c.Hits <= c.Misses:
		return fmt.Errorf("the read-heavy zipf workload hit the cache %d times and missed %d: no cache benefit", c.Hits, c.Misses)
	case c.HitLatencyMs.P50 >= 1:
		return fmt.Errorf("a DAX hit took %v ms at p50, not microseconds", c.HitLatencyMs.P50)
	case 5*c.HitLatencyMs.P50 > tableGet:
		return fmt.Errorf("a DAX hit (%v ms p50) is not several times faster than a table get (%v ms)", c.HitLatencyMs.P50, tableGet)
	case c.MissLatencyMs.P50 < tableGet:
		return fmt.Errorf("a DAX miss (%v ms p50) was faster than a table get (%v ms), though it reads the table", c.MissLatencyMs.P50, tableGet)
	case math.Abs(c.SavedRCU-0.5*float64(c.Hits)) > 1e-6*float64(c.Hits)+0.001:
		return fmt.Errorf("%d hits of 1 KB items saved %v read units, not half a unit each", c.Hits, c.SavedRCU)
	case ev.Tables[0].ConsumedRCU >= direct.Tables[0].ConsumedRCU:
		return fmt.Errorf("the table behind DAX consumed %v read units, not fewer than %v without DAX", ev.Tables[0].ConsumedRCU, direct.Tables[0].ConsumedRCU)
	}
	if sc := strong.Cache; sc.Hits != 0 || sc.PassThrough != strong.Operations["get"].Count {
		return fmt.Errorf("strongly consistent gets: %d hits and %d passed through of %d; DAX must pass them all through",
			sc.Hits, sc.PassThrough, strong.Operations["get"].Count)
	}
	if dax, table := c.WriteLatencyMs.P50, direct.Operations["put"].LatencyMs.P50; c.Writes == 0 || dax < table {
		return fmt.Errorf("%d writes through DAX took %v ms at p50, faster than %v ms direct", c.Writes, dax, table)
	}
	return nil
}

// ---- streams ----

const streamsScenario = "streams-lambda"

var streamsLesson = &Lesson{
	name:  "streams",
	title: "Streams: a Lambda trigger slower than the writes falls behind, its iterator age growing at 1 - c/w per second",
	runs:  []lessonRun{{label: "lambda", scenario: streamsScenario}},
	explain: func(w io.Writer, res []*reports.Result) {
		r := res[0]
		sc, err := lessonScenario(streamsScenario)
		if err != nil {
			fmt.Fprintln(w, err)
			return
		}
		shards := r.Tables[0].Partitions
		wr := featWriteRate(r)
		fmt.Fprintf(w, "The table took %s writes in %s: w = %s records a second, into %s (one per partition).\n",
			reports.Commas(r.Streams[0].Records), fmtSeconds(r.DurationS), trim(wr), featPlural(shards, "stream shard"))
		for _, s := range r.Streams {
			cc := featConsumer(sc, s.Consumer)
			if cc == nil {
				continue
			}
			c := featConsumerRate(cc, shards)
			fmt.Fprintf(w, "%s: batches of %d records in %s, parallelization %d: c = %d x %d x %d / %s s = %s records/s; it processed %s of them.\n",
				s.Consumer, cc.BatchSize, featDur(cc.ProcessingTime), cc.Parallelization, shards, cc.Parallelization, cc.BatchSize,
				trim(cc.ProcessingTime.Seconds()), trim(c), reports.Commas(s.Processed))
			if c < wr {
				fmt.Fprintf(w, "  c < w: its iterator age reached %s s in %s, %s s a second, against 1 - c/w = 1 - %s/%s = %s.\n",
					featNum(s.FinalIteratorAgeS), fmtSeconds(r.DurationS), trim(s.FinalIteratorAgeS/r.DurationS), trim(c), trim(wr), trim(1-c/wr))
			} else {
				fmt.Fprintf(w, "  c > w: it keeps up; its iterator age never passed %s s (records come in 1 s runs; Lambda polls every 250 ms).\n",
					featNum(s.MaxIteratorAgeS))
			}
		}
		fmt.Fprintf(w, "The table throttled %s requests: the lag is the trigger's, and more parallelization, bigger batches or faster code fix it.\n",
			reports.Commas(r.Requests.Throttled))
	},
	claim:    streamsClaim,
	plots:    []string{"stream-iterator-age"},
	takeaway: "a stream consumer processing c of w records/s falls behind by 1 - c/w seconds every second (IteratorAge grows; records expire after 24 h); raise the Lambda parallelization factor (up to 10 per shard) or batch size, or speed up the function, until c > w.",
}

func streamsClaim(res []*reports.Result) error {
	r := res[0]
	sc, err := lessonScenario(streamsScenario)
	if err != nil {
		return err
	}
	shards := r.Tables[0].Partitions
	wr := featWriteRate(r)
	slow, fast := 0, 0
	for _, s := range r.Streams {
		cc := featConsumer(sc, s.Consumer)
		if cc == nil {
			return fmt.Errorf("consumer %s is not in %s", s.Consumer, streamsScenario)
		}
		c := featConsumerRate(cc, shards)
		if c < wr {
			slow++
			want, got := 1-c/wr, s.FinalIteratorAgeS/r.DurationS
			if math.Abs(got-want) > 0.1*want {
				return fmt.Errorf("consumer %s (c = %.1f of w = %.1f records/s) aged %.3f s a second, not 1 - c/w = %.3f within 10%%",
					s.Consumer, c, wr, got, want)
			}
			continue
		}
		fast++
		if s.MaxIteratorAgeS > 1.5 {
			return fmt.Errorf("consumer %s (c = %.1f > w = %.1f records/s) reached an iterator age of %v s; it should keep up (about 1 s)",
				s.Consumer, c, wr, s.MaxIteratorAgeS)
		}
	}
	if slow == 0 || fast == 0 {
		return fmt.Errorf("%d consumers slower than the writes and %d faster; the lesson needs one of each", slow, fast)
	}
	if r.Requests.Throttled > 0 {
		return fmt.Errorf("the table throttled %d requests; the lag should be the consumer's alone", r.Requests.Throttled)
	}
	return nil
}

// featConsumer is the consumer of sc's first table's stream named name.
func featConsumer(sc *scenarios.Scenario, name string) *scenarios.Consumer {
	for _, t := range sc.Tables {
		if t.Stream == nil {
			continue
		}
		for i := range t.Stream.Consumers {
			if t.Stream.Consumers[i].Name == name {
				return &t.Stream.Consumers[i]
			}
		}
	}
	return nil
}

// featConsumerRate is the most records a second a Lambda consumer
// processes: per shard, parallelization batches of batch_size records
// each processing_time.
func featConsumerRate(c *scenarios.Consumer, shards int) float64 {
	return float64(shards) * float64(max(1, c.Parallelization)) * float64(c.BatchSize) / c.ProcessingTime.Seconds()
}

// featWriteRate is the records a second the run's first stream took.
func featWriteRate(r *reports.Result) float64 {
	if len(r.Streams) == 0 || r.DurationS == 0 {
		return 0
	}
	return float64(r.Streams[0].Records) / r.DurationS
}

// ---- global tables ----

const (
	globalConflictsScenario = "global-conflicts"
	globalOutageScenario    = "global-outage"
)

var globalTablesLesson = &Lesson{
	name:  "global-tables",
	title: "Global tables: asynchronous replication, last writer wins, and what a region outage costs",
	runs: []lessonRun{
		{label: "conflicts", scenario: globalConflictsScenario},
		{label: "outage", scenario: globalOutageScenario},
	},
	explain: func(w io.Writer, res []*reports.Result) {
		cr, or := res[0], res[1]
		rp := cr.Replication
		sc, err := lessonScenario(globalConflictsScenario)
		if err != nil {
			fmt.Fprintln(w, err)
			return
		}
		b, want := featConflictShare(cr, sc)
		arrived := rp.ReplicatedWrites + rp.Conflicts
		fmt.Fprintf(w, "Two regions updated the same %d items, %s updates of each item a second from each side; %s updates reached the other region.\n",
			sc.Tables[0].Items.Count, trim(b), reports.Commas(arrived))
		fmt.Fprintf(w, "%s of them (%s) arrived after a later update there and lost (last writer wins: %s overwritten updates); 1 - e^(-bL) over the lag predicts %s.\n",
			reports.Commas(rp.Conflicts), percent(featRatio(rp.Conflicts, arrived)), reports.Commas(rp.OverwrittenUpdates), percent(want))
		lagNote := ""
		if l := sc.Tables[0].ReplicationLag; l != nil {
			lagNote = fmt.Sprintf(" (asked: median %s, p99 %s; the slower updates lost more often)", featDur(l.Median), featDur(l.P99))
		}
		fmt.Fprintf(w, "Replication lag of the updates applied: p50 %s, p99 %s%s.\n", featMs(rp.LagMs.P50), featMs(rp.LagMs.P99), lagNote)
		fmt.Fprintf(w, "%s of %s gets (%s) were stale: they read an item the other region had changed, its update still on the way.\n",
			reports.Commas(rp.StaleReads), reports.Commas(rp.Reads), percent(rp.StaleReadRatio))
		osc, err := lessonScenario(globalOutageScenario)
		if err != nil || len(osc.Faults) == 0 {
			fmt.Fprintln(w, "no outage in", globalOutageScenario, err)
			return
		}
		f := osc.Faults[0]
		down := featRegionRate(osc, f.Region)
		fmt.Fprintf(w, "Outage of %s from %s for %s: %s requests failed, %s: about the %s/s sent there x the %s before clients failed over (%s); %s retries did not help.\n",
			f.Region, featDur(f.At), featDur(f.Outage), reports.Commas(or.Requests.Errors), featKinds(or.ErrorsByKind, or.Requests.Errors), trim(down),
			featDur(osc.Client.FailoverAfter), reports.Commas(int64(down*osc.Client.FailoverAfter.Seconds())), reports.Commas(or.Requests.Retries))
		var avail []string
		for _, a := range or.Replication.Availability {
			avail = append(avail, percent(a.Ratio))
		}
		fmt.Fprintf(w, "Availability per 5 minutes, as the SLA counts it: %s; %s writes made in %s within the lag before it fell reached the other region only when it returned.\n",
			strings.Join(avail, ", "), reports.Commas(or.Replication.UnreplicatedAtOutage), f.Region)
	},
	claim:    globalTablesClaim,
	plots:    []string{"replication", "replication"},
	takeaway: "global tables replicate asynchronously (about a second), every region is writable, and concurrent writes to one item resolve last-writer-wins, silently losing updates: write each item in one region; on an outage clients must fail over themselves, and writes not yet replicated wait for the region (RPO of about the lag).",
}

func globalTablesClaim(res []*reports.Result) error {
	cr, or := res[0], res[1]
	rp := cr.Replication
	if rp == nil || or.Replication == nil {
		return errors.New("a global table's run reported no replication")
	}
	sc, err := lessonScenario(globalConflictsScenario)
	if err != nil {
		return err
	}
	lag := sc.Tables[0].ReplicationLag
	_, want := featConflictShare(cr, sc)
	got := featRatio(rp.Conflicts, rp.ReplicatedWrites+rp.Conflicts)
	switch {
	case rp.Conflicts == 0 || rp.OverwrittenUpdates != rp.Conflicts:
		return fmt.Errorf("both regions updating the same items gave %d conflicts and %d overwritten updates; want as many, above 0",
			rp.Conflicts, rp.OverwrittenUpdates)
	case math.Abs(got-want) > 0.15*want:
		return fmt.Errorf("%.1f%% of replicated updates lost, not the %.1f%% 1 - e^(-bL) predicts within 15%%", 100*got, 100*want)
	case rp.StaleReads == 0:
		return errors.New("no stale read, though both regions wrote the items read")
	case lag == nil || rp.LagMs.P50 < 0.5*featMillis(lag.Median) || rp.LagMs.P50 > featMillis(lag.P99):
		return fmt.Errorf("replication lag p50 %v ms, not around the scenario's median", rp.LagMs.P50)
	}
	osc, err := lessonScenario(globalOutageScenario)
	if err != nil {
		return err
	}
	if len(osc.Faults) == 0 {
		return fmt.Errorf("%s has no outage", globalOutageScenario)
	}
	expect := featRegionRate(osc, osc.Faults[0].Region) * osc.Client.FailoverAfter.Seconds()
	e := or.Requests.Errors
	switch {
	case e == 0 || or.ErrorsByKind["region_unavailable"] != e:
		return fmt.Errorf("the outage ended %d requests in errors, %d of them region_unavailable; want all, above 0", e, or.ErrorsByKind["region_unavailable"])
	case float64(e) < 0.5*expect || float64(e) > 1.5*expect:
		return fmt.Errorf("%d requests failed, not about the %.0f sent to the region before failover", e, expect)
	case or.Replication.AvailabilityMin >= 1:
		return errors.New("availability stayed at 100% through a region outage")
	case or.Replication.UnreplicatedAtOutage == 0:
		return errors.New("no write was in flight when the region fell")
	}
	return nil
}

func featMillis(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// featConflictShare is, for a two-region run of sc, the updates of each
// item a second from each region (b) and the share of replicated updates
// that last writer wins should drop: an update made in one region loses
// when the other updates the item within its lag L, 1 - e^(-bL) for
// Poisson updates, averaged over the lognormal lag.
func featConflictShare(r *reports.Result, sc *scenarios.Scenario) (b, share float64) {
	t := sc.Tables[0]
	regions := float64(max(1, len(t.Replicas)))
	writes := r.Operations["update"].Count + r.Operations["put"].Count
	b = float64(writes) / regions / float64(max(1, t.Items.Count)) / r.DurationS
	median, p99 := time.Second, 2500*time.Millisecond // the service's default
	if l := t.ReplicationLag; l != nil {
		median, p99 = l.Median, l.P99
	}
	const n, z99 = 1000, 2.3263478740408408
	sigma := math.Log(float64(p99)/float64(median)) / z99
	for i := range n {
		z := math.Sqrt2 * math.Erfinv(2*(float64(i)+0.5)/n-1)
		lag := median.Seconds() * math.Exp(sigma*z)
		share += (1 - math.Exp(-b*lag)) / n
	}
	return b, share
}

// featRegionRate is the request rate of sc's workloads in region (the
// home region for workloads that name none).
func featRegionRate(sc *scenarios.Scenario, region string) float64 {
	var rate float64
	for _, w := range sc.Workloads {
		wr := w.Region
		if wr == "" {
			wr = sc.Region
		}
		if wr == region {
			rate += w.Rate
		}
	}
	return rate
}

// featKinds lists counts by kind ("all region_unavailable" when one
// kind makes up the total, else "12 timeout, 6,064 region_unavailable").
func featKinds(kinds map[string]int64, total int64) string {
	var names []string
	for k := range kinds {
		names = append(names, k)
	}
	slices.Sort(names)
	s := ""
	for i, k := range names {
		if i > 0 {
			s += ", "
		}
		s += reports.Commas(kinds[k]) + " " + k
	}
	switch {
	case s == "":
		return "none"
	case len(names) == 1 && kinds[names[0]] == total:
		return "all " + names[0]
	}
	return s
}

// ---- gsi ----

var gsiLesson = &Lesson{
	name:  "gsi",
	title: "GSI back-pressure: an index short of write capacity throttles its table's writes",
	runs: []lessonRun{
		{label: "index-at-a-tenth", scenario: "gsi-low"},
		{label: "index-raised", scenario: "gsi-raised"},
	},
	explain: func(w io.Writer, res []*reports.Result) {
		low, raised := res[0], res[1]
		lt, li := featBase(low), featIndex(low)
		rt, ri := featBase(raised), featIndex(raised)
		if lt == nil || li == nil || rt == nil || ri == nil {
			fmt.Fprintln(w, "a run has no table or no global secondary index")
			return
		}
		fmt.Fprintf(w, "Index at %s WCU, table at %s WCU: %s of %s puts (%s) ended throttled; the table consumed %s WCU a second, %s of its capacity.\n",
			reports.Commas(li.ProvisionedWCU), reports.Commas(lt.ProvisionedWCU), reports.Commas(low.Requests.Throttled), reports.Commas(low.Requests.Total),
			percent(low.Ratios.Throttled), trim(lt.MeanWCUPerS), percent(lt.MeanWCUPerS/float64(lt.ProvisionedWCU)))
		fmt.Fprintf(w, "Throttle events (attempts, retries included): %s, %s on the index %s; for reasons of the table's own: %s.\n",
			reports.Commas(low.Requests.ThrottleEvents), featKinds(li.ThrottlesByReason, low.Requests.ThrottleEvents), li.Name,
			reports.Commas(featOwn(lt.ThrottlesByReason)))
		fmt.Fprintf(w, "Each put writes one 1 KB index entry (projection all), one index write unit, so the index's %s WCU held the table to about as many puts a second (%s WCU/s consumed); p99 latency %s with retries.\n",
			reports.Commas(li.ProvisionedWCU), trim(lt.MeanWCUPerS), featMs(low.LatencyMs.P99))
		fmt.Fprintf(w, "Index raised to %s WCU: %s of %s puts throttled; table and index each consumed %s WCU a second; p99 %s.\n",
			reports.Commas(ri.ProvisionedWCU), reports.Commas(raised.Requests.Throttled), reports.Commas(raised.Requests.Total),
			trim(rt.MeanWCUPerS), featMs(raised.LatencyMs.P99))
	},
	claim:    gsiClaim,
	plots:    []string{"capacity-orders/by-customer", "throughput"},
	takeaway: "a GSI needs write capacity for every base write that touches it (1 unit per entry written, 2 when its key changes); an under-provisioned GSI throttles the TABLE's writes (IndexWriteProvisionedThroughputExceeded) although the table has capacity: give it the table's write capacity or auto scaling, or project/index less.",
}

func gsiClaim(res []*reports.Result) error {
	low, raised := res[0], res[1]
	lt, li := featBase(low), featIndex(low)
	if lt == nil || li == nil || featIndex(raised) == nil {
		return errors.New("a run has no table or no global secondary index")
	}
	const reason = "IndexWriteProvisionedThroughputExceeded"
	switch {
	case low.Requests.Throttled == 0:
		return errors.New("no put was throttled with the index at a tenth of the table's write capacity")
	case li.ThrottlesByReason[reason] == 0 || li.ThrottlesByReason[reason] != low.Requests.ThrottleEvents:
		return fmt.Errorf("%d of %d throttle events were %s on %s; want all", li.ThrottlesByReason[reason], low.Requests.ThrottleEvents, reason, li.Name)
	case featOwn(lt.ThrottlesByReason) != 0:
		return fmt.Errorf("the table throttled for reasons of its own: %v", lt.ThrottlesByReason)
	case lt.PeakWCUPerS >= float64(lt.ProvisionedWCU):
		return fmt.Errorf("the table used up to %v of its %d WCU: its own capacity, not the index, could be the limit", lt.PeakWCUPerS, lt.ProvisionedWCU)
	case raised.Requests.ThrottleEvents != 0:
		return fmt.Errorf("with the index raised, %d throttle events (%d requests)", raised.Requests.ThrottleEvents, raised.Requests.Throttled)
	}
	return nil
}

// featBase and featIndex are the run's first table and first global
// secondary index entry; nil when absent.
func featBase(r *reports.Result) *reports.TableResult {
	for i := range r.Tables {
		if r.Tables[i].Index == "" {
			return &r.Tables[i]
		}
	}
	return nil
}

func featIndex(r *reports.Result) *reports.TableResult {
	for i := range r.Tables {
		if r.Tables[i].Index != "" {
			return &r.Tables[i]
		}
	}
	return nil
}

// featOwn sums a table's throttles for reasons of its own: the table's
// reasons, not the index reasons its writes received from a global
// secondary index's back-pressure.
func featOwn(m map[string]int64) int64 {
	var n int64
	for k, v := range m {
		if strings.HasPrefix(k, "Table") {
			n += v
		}
	}
	return n
}

// ---- ttl ----

const ttlScenario = "ttl-expiry"

var ttlLesson = &Lesson{
	name:  "ttl",
	title: "TTL: expired items are deleted in the background, free, some time after they expire, and readable until then",
	runs:  []lessonRun{{label: "expiry", scenario: ttlScenario}},
	explain: func(w io.Writer, res []*reports.Result) {
		r := res[0]
		f, err := featTTLFacts(r)
		if err != nil {
			fmt.Fprintln(w, err)
			return
		}
		fmt.Fprintf(w, "At the start the storage bill counted %s sessions (%s GB, %s B + 100 B each); at the end %s: every one expired within %s and was deleted.\n",
			reports.Commas(f.itemsStart), trim(f.gbStart), reports.Commas(f.itemBytes-100), reports.Commas(f.itemsEnd), featDur(f.expireAfter))
		fmt.Fprintf(w, "The deletions were free: the table consumed %s write units. They were in the stream: %s records, all deletions by the service (no application writes).\n",
			trim(r.Tables[0].ConsumedWCU), reports.Commas(r.Streams[0].Records))
		fmt.Fprintf(w, "Still readable after expiry: at %s, when every session had expired, %s of gets still found theirs (%s read units a get: %s found, %s missing).\n",
			featDur(f.expireAfter), percent(f.foundAtExpiry), trim(f.unitsAtExpiry), trim(f.foundUnits), trim(f.missUnits))
		fmt.Fprintf(w, "Deleted within the window: the last session left the bill at %s, before %s (expiries) + %s (deletion window); after it, %s of gets found one.\n",
			fmtSeconds(f.lastStored), featDur(f.expireAfter), featDur(f.within), percent(max(0, f.foundAfter)))
	},
	claim: func(res []*reports.Result) error {
		r := res[0]
		f, err := featTTLFacts(r)
		if err != nil {
			return err
		}
		window := (f.expireAfter + f.within).Seconds()
		switch {
		case f.itemsStart == 0 || f.itemsEnd != 0:
			return fmt.Errorf("%d items stored at the start and %d at the end; TTL should have deleted them all", f.itemsStart, f.itemsEnd)
		case r.Tables[0].ConsumedWCU != 0:
			return fmt.Errorf("the table consumed %v write units, though only TTL wrote (deletions are free)", r.Tables[0].ConsumedWCU)
		case len(r.Streams) == 0 || r.Streams[0].Records != f.itemsStart-f.itemsEnd:
			return fmt.Errorf("the stream took %v records for %d deletions; each TTL deletion is a stream record", r.Streams, f.itemsStart-f.itemsEnd)
		case f.foundAtExpiry < 0.25 || f.foundAtExpiry > 0.75:
			return fmt.Errorf("when every item had expired, %.0f%% of gets found theirs, not about half: expired items stay readable until deleted", 100*f.foundAtExpiry)
		case f.lastStored > window || f.foundAfter > 0.01:
			return fmt.Errorf("items were stored until %v s, after expiry + deletion window (%v s); %.1f%% of later gets found one", f.lastStored, window, 100*f.foundAfter)
		}
		return nil
	},
	plots:    []string{"capacity-sessions"},
	takeaway: "TTL deletes expired items in the background at no write cost, typically within a few days (not at the expiry instant): filter out expired items on read (expires_at < now); deletions appear in the stream as service (system) deletes, so a trigger can archive them.",
}

// ttlFacts are what the ttl lesson reads from its run: stored items
// derived from the storage bill second by second, and the share of gets
// that found their item, from read units per get.
type ttlFacts struct {
	itemBytes            int64
	itemsStart, itemsEnd int64
	gbStart              float64
	lastStored           float64 // the end of the last second with an item stored
	expireAfter, within  time.Duration
	foundUnits           float64 // units a get of a found item costs
	missUnits            float64 // and of a missing one
	unitsAtExpiry        float64 // read units per get around expireAfter
	foundAtExpiry        float64
	foundAfter           float64 // share found after the deletion window
}

func featTTLFacts(r *reports.Result) (*ttlFacts, error) {
	sc, err := lessonScenario(ttlScenario)
	if err != nil {
		return nil, err
	}
	t := sc.Tables[0]
	if t.TTL == nil || sc.Service.TTLDeleteWithin == nil || r.Cost == nil || r.Series == nil || len(r.Series.Tables) == 0 {
		return nil, fmt.Errorf("%s: no TTL, deletion window, bill or series", ttlScenario)
	}
	f := &ttlFacts{itemBytes: t.Items.Size + 100, expireAfter: t.TTL.ExpireAfter, within: *sc.Service.TTLDeleteWithin}
	// The storage bill: each second's storage dollars are bytes / 2^30 GB
	// x price per GB-month x (1 s / 730 h).
	price := 0.0
	for _, l := range r.Cost.Lines {
		if l.Item == billing.ItemStorage {
			price = l.PriceUSD
		}
	}
	k := slices.Index(billing.LineItems, billing.ItemStorage)
	if price == 0 || k < 0 || k >= len(r.Series.CostByItem) {
		return nil, fmt.Errorf("%s: the run has no storage bill", ttlScenario)
	}
	cost := r.Series.CostByItem[k]
	n := min(len(cost), int(math.Ceil(r.DurationS)))
	items := func(i int) int64 {
		prev := 0.0
		if i > 0 {
			prev = cost[i-1]
		}
		gb := (cost[i] - prev) / price * billing.HoursPerMonth * 3600
		return int64(math.Round(gb * (1 << 30) / float64(f.itemBytes)))
	}
	if n == 0 {
		return nil, fmt.Errorf("%s: an empty run", ttlScenario)
	}
	f.itemsStart, f.itemsEnd = items(0), items(n-1)
	f.gbStart = float64(f.itemsStart*f.itemBytes) / (1 << 30)
	for i := range n {
		if items(i) > 0 {
			f.lastStored = float64(i + 1)
		}
	}
	// A get of an item costs its size in 4 KB units, halved eventually
	// consistent; a get of a missing item 0.5 (REFERENCE: units).
	f.foundUnits = units.ReadUnits(int(t.Items.Size), units.Eventual).Float()
	f.missUnits = units.ReadUnits(0, units.Eventual).Float()
	if f.foundUnits == f.missUnits {
		return nil, fmt.Errorf("%s: items of %d B cost what a miss does; reads cannot tell them apart", ttlScenario, t.Items.Size)
	}
	ts := &r.Series.Tables[0]
	share := func(from, to int) (units, found float64) {
		var u float64
		var gets int64
		for i := max(0, from); i < min(to, len(ts.Read), len(ts.Succeeded)); i++ {
			u += ts.Read[i].Float()
			gets += ts.Succeeded[i]
		}
		if gets == 0 {
			return 0, 0
		}
		units = u / float64(gets)
		return units, (units - f.missUnits) / (f.foundUnits - f.missUnits)
	}
	at := int(f.expireAfter.Seconds())
	f.unitsAtExpiry, f.foundAtExpiry = share(at-5, at+5)
	_, f.foundAfter = share(int(f.lastStored)+1, n)
	return f, nil
}

// ---- not-dynamodb ----

var notDynamoDBLesson = &Lesson{
	name:  "not-dynamodb",
	title: "When not to use DynamoDB: a join done with scans costs orders of magnitude more than a get by key",
	runs: []lessonRun{
		{label: "join-by-scan", scenario: "scans-join"},
		{label: "get-by-key", scenario: "scans-get"},
	},
	explain: func(w io.Writer, res []*reports.Result) {
		join, get := res[0], res[1]
		scanUnits, scans := featTableUnits(join, "customers")
		getUnits, gets := featTableUnits(get, "customers")
		if scans == 0 || gets == 0 {
			fmt.Fprintln(w, "a run looked no customer up")
			return
		}
		fmt.Fprintf(w, "Join by scan: %s customer lookups scanned the customers table, consuming %s read units: %s a lookup (every item read is charged, whatever the filter keeps).\n",
			reports.Commas(scans), featNum(scanUnits), trim(scanUnits/float64(scans)))
		orderCost := func(r *reports.Result) string {
			u, n := featTableUnits(r, "orders")
			return trim(u / float64(max(1, n)))
		}
		orders := "each order get cost " + orderCost(join) + " in both runs"
		if orderCost(join) != orderCost(get) {
			orders = "each order get cost " + orderCost(join) + " and " + orderCost(get)
		}
		fmt.Fprintf(w, "By key: %s GetItems of customers consumed %s: %s a lookup, %sx less; %s.\n",
			reports.Commas(gets), featNum(getUnits), trim(getUnits/float64(gets)),
			trim((scanUnits/float64(scans))/(getUnits/float64(gets))), orders)
		fmt.Fprintf(w, "Latency: a scan page took %s at p50, a get %s.\n",
			featMs(join.Operations["scan"].LatencyMs.P50), featMs(get.Operations["get"].LatencyMs.P50))
		fmt.Fprintf(w, "A month of %.0f lookups a second: %s of read requests by scan, %s by key (on demand, %s per million read request units).\n",
			float64(scans)/join.DurationS, reports.USD(featMonthly(join, "customers", billing.ItemReadRequests)),
			reports.USD(featMonthly(get, "customers", billing.ItemReadRequests)), reports.USD(1e6*featPrice(join, billing.ItemReadRequests)))
	},
	claim: func(res []*reports.Result) error {
		join, get := res[0], res[1]
		scanUnits, scans := featTableUnits(join, "customers")
		getUnits, gets := featTableUnits(get, "customers")
		if scans == 0 || gets == 0 || getUnits == 0 {
			return fmt.Errorf("%d scans and %d gets of customers (%v units): nothing to compare", scans, gets, getUnits)
		}
		ratio := (scanUnits / float64(scans)) / (getUnits / float64(gets))
		costs := featMonthly(join, "customers", billing.ItemReadRequests) / featMonthly(get, "customers", billing.ItemReadRequests)
		if ratio < 100 || costs < 100 {
			return fmt.Errorf("a lookup by scan cost %.1fx the read units of a get and %.1fx its monthly bill; want at least 100x (two orders of magnitude)", ratio, costs)
		}
		return nil
	},
	plots:    []string{"capacity-customers", "capacity-customers"},
	takeaway: "DynamoDB is for access by key (GetItem, Query on a partition key) designed up front; Scan reads and bills the whole table, so joins, ad hoc queries and reports belong in a relational or analytics store (or precompute them: denormalise, GSIs, export to S3).",
}

// featTableUnits is the read units a run's table consumed and the
// requests that succeeded on it (from its series: the result counts
// operations over all tables).
func featTableUnits(r *reports.Result, table string) (units float64, requests int64) {
	for i := range r.Tables {
		if r.Tables[i].Name != table {
			continue
		}
		units = r.Tables[i].ConsumedRCU
		if r.Series != nil && i < len(r.Series.Tables) {
			for _, n := range r.Series.Tables[i].Succeeded {
				requests += n
			}
		}
	}
	return units, requests
}

// featMonthly is a table's line item spread over a 730-hour month.
func featMonthly(r *reports.Result, table, item string) float64 {
	if r.Cost == nil || r.DurationS == 0 {
		return 0
	}
	var usd float64
	for _, l := range r.Cost.Lines {
		if l.Table == table && l.Item == item {
			usd += l.USD
		}
	}
	return usd / (r.DurationS / 3600) * billing.HoursPerMonth
}

// featPrice is the price of a unit of a line item of the run's bill.
func featPrice(r *reports.Result, item string) float64 {
	if r.Cost != nil {
		for _, l := range r.Cost.Lines {
			if l.Item == item {
				return l.PriceUSD
			}
		}
	}
	return 0
}

// ---- formatting ----

// featNum writes a number with thousands separators and at most two
// decimals: 24,989, 1,199.5.
func featNum(v float64) string {
	s := trim(v)
	whole, frac, _ := strings.Cut(s, ".")
	n, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return s
	}
	if frac != "" {
		frac = "." + frac
	}
	if n == 0 && strings.HasPrefix(whole, "-") {
		if frac == "" {
			return "0"
		}
		return "-0" + frac
	}
	return reports.Commas(n) + frac
}

// featDur writes a duration as people read it: 200 ms, 30 s, 2 min.
func featDur(d time.Duration) string {
	if d < time.Second {
		return trim(float64(d)/float64(time.Millisecond)) + " ms"
	}
	return fmtSeconds(d.Seconds())
}

// featPlural is "1 stream shard", "8 stream shards".
func featPlural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// featMs writes milliseconds to three significant figures, in
// microseconds below one and seconds from a thousand.
func featMs(v float64) string {
	switch {
	case v < 1:
		return fmt.Sprintf("%.0f µs", v*1000)
	case v < 10:
		return trim(v) + " ms"
	case v < 100:
		return fmt.Sprintf("%.1f ms", v)
	case v < 1000:
		return fmt.Sprintf("%.0f ms", v)
	}
	return trim(v/1000) + " s"
}

func featRatio(n, of int64) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of)
}
