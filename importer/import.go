package importer

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ddbsim/ddbsim/importer/aws"
	"github.com/ddbsim/ddbsim/importer/cloudwatch"
	"github.com/ddbsim/ddbsim/scenarios"
)

// File is one input: its name (for messages and the scenario's header)
// and its content.
type File struct {
	Name string
	Data []byte
}

// Options are the assumptions an import cannot read from its inputs.
type Options struct {
	// Name is the scenario's name; the first table's when empty.
	Name string
	// Table is the table that series and reports naming none belong to
	// (get-metric-statistics output, an insight rule report); it may be
	// left empty when the inputs describe one table.
	Table string
	// StrongReads is the fraction of reads that are strongly consistent,
	// in [0, 1]; the rest are eventual.
	StrongReads float64
	// Arrival is how requests arrive within a step: "poisson" (when
	// empty) or "constant".
	Arrival string
	// Burst is each step's peak-to-mean ratio (the series' burst:), >= 1;
	// 0 means 1.
	Burst float64
	// Keys overrides the key distribution: "uniform" or "zipf:EXPONENT"
	// ("zipf:1.2"); empty keeps uniform, or the hot keys an insight
	// report gives.
	Keys string
}

// Imported is the scenario an import wrote.
type Imported struct {
	// YAML is the scenario file, comments included.
	YAML []byte
	// Notes are what the import assumed or could not carry over, for the
	// user to read; the file's comments say the same.
	Notes []string
	// Scenario is YAML parsed and validated.
	Scenario *scenarios.Scenario
}

// cloudwatchKinds and awsKinds name every input Import recognises, for the
// message about a file that is none of them.
const cloudwatchKinds = "CloudWatch output (get-metric-data, get-metric-statistics, " +
	"the --metric-data-queries JSON, get-insight-rule-report)"

// input is what one file gave, for the scenario's header.
type input struct {
	name string
	gave string
}

// tableData is everything the inputs say about one table.
type tableData struct {
	spec aws.TableSpec
	// series by index ("" for the table) and metric.
	series map[seriesKey]*namedSeries
	hot    *cloudwatch.HotKeys
	hotSrc string
}

type seriesKey struct{ index, metric string }

type namedSeries struct {
	cloudwatch.Series
	file string
}

// Import reads files, each recognised by its content, and writes the
// scenario they describe.
func Import(files []File, opts Options) (*Imported, error) {
	if err := checkOptions(&opts); err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, errors.New("no input files: give a describe-table output and its CloudWatch history")
	}
	var (
		inputs  []input
		descs   []*aws.Description
		queries *cloudwatch.Queries
		notes   []string
	)
	// The queries name get-metric-data results, so they are read first.
	for _, f := range files {
		if len(f.Data) > scenarios.MaxFileSize {
			return nil, &scenarios.TooLargeError{File: f.Name, What: "an AWS or CloudWatch output file"}
		}
		if cloudwatch.Detect(f.Data) != cloudwatch.MetricQueries {
			continue
		}
		q, err := cloudwatch.ReadQueries(f.Name, f.Data)
		if err != nil {
			return nil, err
		}
		if queries == nil {
			queries = &cloudwatch.Queries{ByID: map[string]cloudwatch.Query{}}
		}
		for id, qq := range q.ByID {
			if prev, ok := queries.ByID[id]; ok && prev != qq {
				return nil, fmt.Errorf("%s: query %q names %s, and another query file gives the same Id to %s: give each query its own Id", f.Name, id, describeQuery(qq), describeQuery(prev))
			}
			queries.ByID[id] = qq
		}
		if !q.Start.IsZero() {
			queries.Start = q.Start
		}
		if !q.End.IsZero() {
			queries.End = q.End
		}
	}
	var histories []*cloudwatch.History
	var historyFiles []string
	var reports []*cloudwatch.HotKeys
	var reportFiles []string
	for _, f := range files {
		switch cloudwatch.Detect(f.Data) {
		case cloudwatch.MetricQueries:
			inputs = append(inputs, input{f.Name, fmt.Sprintf("the queries naming get-metric-data results (%d)", len(queries.ByID))})
		case cloudwatch.MetricData, cloudwatch.MetricStatistics:
			var h *cloudwatch.History
			var err error
			if queries != nil {
				h, err = cloudwatch.ReadWith(f.Name, f.Data, queries)
			} else {
				h, err = cloudwatch.Read(f.Name, f.Data)
			}
			if err != nil {
				return nil, err
			}
			histories, historyFiles = append(histories, h), append(historyFiles, f.Name)
			for _, w := range h.Warnings {
				notes = append(notes, f.Name+": "+w)
			}
			inputs = append(inputs, input{f.Name, describeHistory(h)})
		case cloudwatch.InsightRuleReport:
			hk, err := cloudwatch.ReadInsights(f.Name, f.Data)
			if err != nil {
				return nil, err
			}
			reports, reportFiles = append(reports, hk), append(reportFiles, f.Name)
			inputs = append(inputs, input{f.Name, fmt.Sprintf("a Contributor Insights report: %d top keys of about %d", len(hk.Keys), hk.Unique)})
		default:
			d, err := aws.Read(f.Name, f.Data)
			if err != nil {
				return nil, noneOf(f.Name, err)
			}
			descs = append(descs, d)
			inputs = append(inputs, input{f.Name, describeDescription(d)})
		}
	}
	desc, err := aws.Merge(descs...)
	if err != nil {
		return nil, err
	}
	notes = append(notes, desc.Notes...)
	if len(desc.Tables) == 0 {
		return nil, errors.New("no table in the inputs: give describe-table output, a CloudFormation/SAM template or terraform show -json with the table")
	}
	tables := map[string]*tableData{}
	var order []string
	for _, t := range desc.Tables {
		tables[t.Name] = &tableData{spec: t, series: map[seriesKey]*namedSeries{}}
		order = append(order, t.Name)
	}
	owner := func(file, named, what string) (*tableData, error) {
		if named == "" {
			named = opts.Table
		}
		if named == "" {
			if len(order) == 1 {
				return tables[order[0]], nil
			}
			return nil, fmt.Errorf("%s: %s names no table and the inputs describe %d (%s): say which with --table (Options.Table)", file, what, len(order), strings.Join(order, ", "))
		}
		t := tables[named]
		if t == nil {
			return nil, fmt.Errorf("%s: %s is for table %q, which no input describes (tables: %s): add its describe-table output", file, what, named, strings.Join(order, ", "))
		}
		return t, nil
	}
	for i, h := range histories {
		for _, s := range h.Series {
			what := "series " + s.Metric
			if s.Index != "" {
				what += " of index " + s.Index
			}
			t, err := owner(historyFiles[i], s.Table, what)
			if err != nil {
				return nil, err
			}
			if s.Index != "" && t.spec.Index(s.Index) == nil {
				return nil, fmt.Errorf("%s: %s: table %s has no index %q in the inputs", historyFiles[i], what, t.spec.Name, s.Index)
			}
			k := seriesKey{s.Index, s.Metric}
			if prev := t.series[k]; prev != nil {
				return nil, fmt.Errorf("%s: %s of table %s is also in %s: give each series once", historyFiles[i], what, t.spec.Name, prev.file)
			}
			t.series[k] = &namedSeries{Series: s, file: historyFiles[i]}
		}
	}
	for i, hk := range reports {
		t, err := owner(reportFiles[i], "", "the Contributor Insights report")
		if err != nil {
			return nil, err
		}
		t.hot, t.hotSrc = hk, reportFiles[i]
	}
	b := &builder{opts: opts, inputs: inputs, notes: notes}
	for _, name := range order {
		b.tables = append(b.tables, tables[name])
	}
	return b.build()
}

// noneOf turns aws.Read's refusal of a file whose kind it does not know
// into one naming every kind Import reads; other errors (a known kind,
// malformed) pass as they are.
func noneOf(file string, err error) error {
	msg := err.Error()
	prefix := file + ": $: expected "
	if !strings.HasPrefix(msg, prefix) {
		return err
	}
	return fmt.Errorf("%s: $: expected %s or %s", file, cloudwatchKinds, strings.TrimPrefix(msg, prefix))
}

func describeQuery(q cloudwatch.Query) string {
	s := q.Metric + " of " + q.Table
	if q.Index != "" {
		s += " index " + q.Index
	}
	return s
}

func describeHistory(h *cloudwatch.History) string {
	var parts []string
	for _, s := range h.Series {
		p := s.Metric
		if s.Table != "" {
			p += " of " + s.Table
		}
		if s.Index != "" {
			p += " index " + s.Index
		}
		p += fmt.Sprintf(" (%d points every %s", len(s.Points), fmtDuration(s.Period))
		if m := s.Missing(); m > 0 {
			p += fmt.Sprintf(", %d missing", m)
		}
		parts = append(parts, p+")")
	}
	if len(parts) == 0 {
		return "no series"
	}
	return strings.Join(parts, "; ")
}

func describeDescription(d *aws.Description) string {
	var parts []string
	for _, t := range d.Tables {
		fields := slices.Sorted(maps.Keys(t.Sources))
		name := t.Name
		if name == "" {
			name = "(the table)"
		}
		parts = append(parts, name+": "+strings.Join(fields, ", "))
	}
	if len(parts) == 0 {
		return "no table"
	}
	return strings.Join(parts, "; ")
}

// checkOptions fills in the defaults and refuses values out of range.
func checkOptions(o *Options) error {
	if o.StrongReads < 0 || o.StrongReads > 1 || o.StrongReads != o.StrongReads {
		return fmt.Errorf("strong reads: expected a share from 0%% to 100%%, got %g%%", 100*o.StrongReads)
	}
	switch o.Arrival {
	case "":
		o.Arrival = "poisson"
	case "poisson", "constant":
	default:
		return fmt.Errorf("arrival: expected poisson or constant, got %q", o.Arrival)
	}
	if o.Burst == 0 {
		o.Burst = 1
	}
	if !(o.Burst >= 1) || o.Burst > 1e6 {
		return fmt.Errorf("burst: expected a peak-to-mean ratio of at least 1, got %g", o.Burst)
	}
	if _, _, err := parseKeys(o.Keys); err != nil {
		return err
	}
	return nil
}

// parseKeys reads Options.Keys: "", "uniform" or "zipf:EXPONENT".
func parseKeys(s string) (dist string, exponent float64, err error) {
	switch {
	case s == "" || s == "uniform":
		return s, 0, nil
	case strings.HasPrefix(s, "zipf:"):
		e, perr := strconv.ParseFloat(strings.TrimPrefix(s, "zipf:"), 64)
		if perr == nil && e > 0 && e <= 10 {
			return "zipf", e, nil
		}
	case s == "zipf":
		return "zipf", 0.99, nil
	}
	return "", 0, fmt.Errorf("keys: expected uniform or zipf:EXPONENT (such as zipf:1.2, an exponent above 0 and at most 10), got %q", s)
}

// fmtDuration writes d in the largest whole unit the scenario format
// reads: 720h, 5m, 90s.
func fmtDuration(d time.Duration) string {
	switch {
	case d >= time.Hour && d%time.Hour == 0:
		return strconv.FormatInt(int64(d/time.Hour), 10) + "h"
	case d >= time.Minute && d%time.Minute == 0:
		return strconv.FormatInt(int64(d/time.Minute), 10) + "m"
	}
	return strconv.FormatInt(int64(d/time.Second), 10) + "s"
}
