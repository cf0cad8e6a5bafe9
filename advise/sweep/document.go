package sweep

import (
	"cmp"
	"fmt"
	"math"
	"path/filepath"
	"slices"

	"github.com/HdrHistogram/hdrhistogram-go"

	"github.com/ddbsim/ddbsim/advise/interval"
	"github.com/ddbsim/ddbsim/reports"
)

// SchemaVersion is the version of sweep.json. Adding a field keeps it.
const SchemaVersion = 1

// Document is sweep.json: the sweep, one record per run in the plan's
// order, and a summary per point. A shard's document has its own runs
// and no summary; Merge makes the whole document from the shards'.
type Document struct {
	SchemaVersion int            `json:"schema_version"`
	Sweep         Header         `json:"sweep"`
	Shard         *Shard         `json:"shard,omitempty"`
	Runs          []Record       `json:"runs"`
	Points        []PointSummary `json:"points,omitempty"`
	// Cheapest is the point that meets the thresholds in every seed at
	// the lowest mean monthly cost; absent when none does or the
	// scenarios have no thresholds.
	Cheapest *int `json:"cheapest_meeting_every_seed,omitempty"`
}

// Header says which sweep a document belongs to.
type Header struct {
	File      string   `json:"file"` // the sweep file's base name
	Digest    string   `json:"digest"`
	Scenarios []string `json:"scenarios"`
	Vary      []string `json:"vary"`
	Seeds     []uint64 `json:"seeds"`
	Points    int      `json:"points"`
	Runs      int      `json:"runs"`
	DurationS float64  `json:"duration_s,omitempty"` // the sweep's duration: override, if any
	// Fidelity is the driver the runs were asked for (--fidelity).
	Fidelity string `json:"fidelity"`
}

// Shard is which slice of the plan a shard's document holds: the runs
// whose index is Index modulo Count.
type Shard struct {
	Index int `json:"index"`
	Count int `json:"count"`
}

// Record is one run: what it varied, its seed, its headline figures,
// its latency histogram and the file of its full result.
type Record struct {
	Run            int         `json:"run"`
	Point          int         `json:"point"`
	Scenario       string      `json:"scenario"`
	Parameters     []Parameter `json:"parameters"`
	Seed           uint64      `json:"seed"`
	Result         string      `json:"result"`
	Requests       int64       `json:"requests"`
	MonthlyUSD     float64     `json:"monthly_usd"`
	ThrottledRatio float64     `json:"throttled_ratio"`
	GivenUpRatio   float64     `json:"given_up_ratio"`
	P50Ms          float64     `json:"p50_ms"`
	P99Ms          float64     `json:"p99_ms"`
	// Thresholds counts the scenario's thresholds; Passed is whether
	// all held, Failed names those that did not.
	Thresholds int      `json:"thresholds"`
	Passed     bool     `json:"passed"`
	Failed     []string `json:"failed,omitempty"`
	// LatencyHistogram is the run's client latency in microseconds as
	// HdrHistogram's V2 compressed encoding in base64, the form its
	// libraries exchange, so the runs of a point pool exactly.
	LatencyHistogram string `json:"latency_histogram"`
}

// Parameter is a key's value at a point, as the sweep file wrote it.
type Parameter struct {
	Path  string `json:"path"`
	Value string `json:"value"`
}

// PointSummary is one point across its seeds: each figure's mean and 95%
// confidence interval over the seeds, the latency of all its runs'
// requests pooled, and how often it met the thresholds.
type PointSummary struct {
	Point          int               `json:"point"`
	Scenario       string            `json:"scenario"`
	Parameters     []Parameter       `json:"parameters"`
	Seeds          int               `json:"seeds"`
	MonthlyUSD     interval.Estimate `json:"monthly_usd"`
	ThrottledRatio interval.Estimate `json:"throttled_ratio"`
	GivenUpRatio   interval.Estimate `json:"given_up_ratio"`
	P99Ms          interval.Estimate `json:"p99_ms"`
	Pooled         PooledLatency     `json:"pooled_latency_ms"`
	// PassedSeeds counts the seeds whose run met every threshold; Meets
	// says it in a word: "every", "most" (more than half), "some",
	// "none", or "" when the scenario has no thresholds.
	PassedSeeds int    `json:"passed_seeds"`
	Meets       string `json:"meets,omitempty"`
}

// PooledLatency is read from the merged histogram of a point's runs: the
// latency of every request of every seed as one population. A bucket's
// upper edge, to 3 significant digits.
type PooledLatency struct {
	Requests int64   `json:"requests"`
	P50      float64 `json:"p50"`
	P99      float64 `json:"p99"`
	P999     float64 `json:"p99_9"`
}

// NewHeader describes the plan's sweep, run with fidelity.
func NewHeader(pl *Plan, fidelity string) Header {
	h := Header{
		File:     filepath.Base(pl.Spec.File),
		Digest:   pl.Spec.Digest,
		Seeds:    pl.Spec.Seeds,
		Points:   len(pl.Points),
		Runs:     pl.Runs(),
		Fidelity: fidelity,
		Vary:     []string{},
	}
	if pl.Spec.Duration > 0 {
		h.DurationS = pl.Spec.Duration.Seconds()
	}
	for _, s := range pl.Spec.Sources {
		h.Scenarios = append(h.Scenarios, s.Ref)
	}
	seen := map[string]bool{}
	for _, pt := range pl.Points {
		for _, s := range pt.Settings {
			if !s.Fixed && !seen[s.Path] {
				seen[s.Path] = true
				h.Vary = append(h.Vary, s.Path)
			}
		}
	}
	return h
}

// Assemble is the whole sweep's document from every run's record, in any
// order: the records sorted by run and a summary per point. It needs
// nothing but the records, so a merge of shards gives what one process
// gives.
func Assemble(h Header, records []Record) (*Document, error) {
	if len(h.Seeds) == 0 || h.Points*len(h.Seeds) != h.Runs {
		return nil, fmt.Errorf("a sweep of %d points x %d seeds cannot have %d runs", h.Points, len(h.Seeds), h.Runs)
	}
	runs := slices.Clone(records)
	slices.SortFunc(runs, func(a, b Record) int { return cmp.Compare(a.Run, b.Run) })
	if len(runs) != h.Runs {
		return nil, fmt.Errorf("%d runs of %d", len(runs), h.Runs)
	}
	for i, r := range runs {
		if r.Run != i {
			return nil, fmt.Errorf("run %d is missing", i)
		}
	}
	doc := &Document{SchemaVersion: SchemaVersion, Sweep: h, Runs: runs}
	seeds := len(h.Seeds)
	for p := range h.Points {
		s, err := summarise(runs[p*seeds : (p+1)*seeds])
		if err != nil {
			return nil, err
		}
		doc.Points = append(doc.Points, s)
		if s.Meets == "every" && (doc.Cheapest == nil || s.MonthlyUSD.Mean < doc.Points[*doc.Cheapest].MonthlyUSD.Mean) {
			doc.Cheapest = &doc.Points[len(doc.Points)-1].Point
		}
	}
	return doc, nil
}

// summarise is one point's summary from its runs, one per seed.
func summarise(runs []Record) (PointSummary, error) {
	first := runs[0]
	s := PointSummary{Point: first.Point, Scenario: first.Scenario, Parameters: first.Parameters, Seeds: len(runs)}
	var cost, thr, given, p99 []float64
	pooled := reports.NewLatencyHistogram()
	thresholds := false
	for _, r := range runs {
		if r.Point != first.Point {
			return s, fmt.Errorf("run %d is of point %d, not %d", r.Run, r.Point, first.Point)
		}
		cost = append(cost, r.MonthlyUSD)
		thr = append(thr, r.ThrottledRatio)
		given = append(given, r.GivenUpRatio)
		p99 = append(p99, r.P99Ms)
		h, err := decodeHistogram(r.LatencyHistogram)
		if err != nil {
			return s, fmt.Errorf("run %d: latency_histogram: %w", r.Run, err)
		}
		if dropped := pooled.Merge(h); dropped > 0 {
			return s, fmt.Errorf("run %d: latency_histogram holds %d values outside 1 µs to 1 h", r.Run, dropped)
		}
		if r.Passed {
			s.PassedSeeds++
		}
		thresholds = thresholds || r.Thresholds > 0
	}
	s.MonthlyUSD, s.ThrottledRatio, s.GivenUpRatio, s.P99Ms = interval.Of(cost), interval.Of(thr), interval.Of(given), interval.Of(p99)
	s.Pooled = PooledLatency{
		Requests: pooled.TotalCount(),
		P50:      millis(pooled, 50),
		P99:      millis(pooled, 99),
		P999:     millis(pooled, 99.9),
	}
	if thresholds {
		switch {
		case s.PassedSeeds == len(runs):
			s.Meets = "every"
		case 2*s.PassedSeeds > len(runs):
			s.Meets = "most"
		case s.PassedSeeds > 0:
			s.Meets = "some"
		default:
			s.Meets = "none"
		}
	}
	return s, nil
}

// maxHistogram bounds one encoded histogram: a full run's is a few KB.
const maxHistogram = 1 << 20

func decodeHistogram(enc string) (*hdrhistogram.Histogram, error) {
	if len(enc) > maxHistogram {
		return nil, fmt.Errorf("%d bytes, more than the %d a latency histogram takes", len(enc), maxHistogram)
	}
	h, err := hdrhistogram.Decode([]byte(enc))
	if err != nil {
		return nil, fmt.Errorf("not an HdrHistogram V2 compressed encoding: %v", err)
	}
	return h, nil
}

func millis(h *hdrhistogram.Histogram, q float64) float64 {
	if h.TotalCount() == 0 {
		return 0
	}
	return math.Round(float64(h.ValueAtQuantile(q))) / 1000
}
