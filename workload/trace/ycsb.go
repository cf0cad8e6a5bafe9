package trace

import (
	"bufio"
	"embed"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ddbsim/ddbsim/model/units"
)

// The six core workloads A-F, written from their published definitions.
//
//go:embed ycsb/workload*
var coreWorkloads embed.FS

// CoreWorkload returns the property file of the core workload named name
// ("workloada" to "workloadf").
func CoreWorkload(name string) ([]byte, bool) {
	if strings.ContainsAny(name, "/\\") {
		return nil, false
	}
	data, err := coreWorkloads.ReadFile("ycsb/" + name)
	return data, err == nil
}

// YCSB is a property file mapped onto ddbsim: what a workload and its
// table need, and what could not be mapped exactly.
type YCSB struct {
	File           string
	RecordCount    int64
	OperationCount int64
	Mix            []Share
	// Distribution is the key distribution by ddbsim's name: "uniform",
	// "ycsb-zipfian" (YCSB's zipfian, its scrambled Zipf), "ycsb-latest"
	// (its skewed latest), "zipf" (exponential's stand-in), "hotspot" or
	// "sequential"; HotKeys and HotOps are hotspot's fractions.
	Distribution    string
	HotKeys, HotOps float64
	// ExpectedNewKeys is CoreWorkload's expectednewkeys,
	// (int)(operationcount x insertproportion x 2): YCSB's zipfian
	// spreads its draws over recordcount + ExpectedNewKeys + 1 records.
	ExpectedNewKeys int64
	// ItemSize is a record's size as the service counts it: the key
	// attribute plus fieldcount fields "field0".. of fieldlength bytes.
	// ItemSizeMin is set when field lengths are uniform.
	ItemSize, ItemSizeMin int64
	ScanMax               int64   // the longest scan, in records
	Target                float64 // operations per second; 0: as fast as the threads go
	Threads               int64
	Strong                bool // dynamodb.consistentReads
	// Notes say what was approximated or not mapped, one per property.
	Notes []string
}

// Share is an operation's share of a YCSB workload: Op is the name a
// scenario's mix gives it ("get", "update", "insert", "scan" or
// "read_modify_write"), Weight a fraction above 0.
type Share struct {
	Op     string
	Weight float64
}

// PropertyError is a line of a property file that is not a property,
// reported at its first column: FILE:LINE:1: what is wrong.
type PropertyError struct {
	File string
	Line int
	Msg  string
}

func (e *PropertyError) Error() string {
	return fmt.Sprintf("%s:%d:1: %s", e.File, e.Line, e.Msg)
}

// MaxThreads is the most client threads a workload without a target may
// have: each is a user of a closed loop, and a scenario's workload has
// at most a million users.
const MaxThreads = 1_000_000

// ycsbKeyLength is the length of a YCSB key: "user" followed by a hashed
// 64-bit number, typically 19 digits (insertorder=hashed, the default).
const ycsbKeyLength = 4 + 19

// ycsbProperties reads a Java properties file: key=value, key:value or
// key value, with # and ! comments and backslash continuations. It
// returns each key with its value and line.
func ycsbProperties(file string, r io.Reader) (map[string]ycsbValue, error) {
	props := map[string]ycsbValue{}
	sc := bufio.NewScanner(r)
	line := 0
	for sc.Scan() {
		line++
		start := line
		text := strings.TrimSpace(sc.Text())
		for strings.HasSuffix(text, `\`) && sc.Scan() {
			line++
			text = strings.TrimSuffix(text, `\`) + strings.TrimSpace(sc.Text())
		}
		if text == "" || text[0] == '#' || text[0] == '!' {
			continue
		}
		i := strings.IndexAny(text, "=: \t")
		if i <= 0 {
			return nil, &PropertyError{File: file, Line: start, Msg: fmt.Sprintf("expected key=value, got %s", excerpt(text))}
		}
		key := text[:i]
		val := strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(text[i:]), "=:"))
		props[key] = ycsbValue{val, start}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			// The line the scanner could not hold is the one after the
			// last it returned.
			return nil, &PropertyError{File: file, Line: line + 1,
				Msg: fmt.Sprintf("the line is longer than %d KB; expected key=value", bufio.MaxScanTokenSize>>10)}
		}
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return props, nil
}

type ycsbValue struct {
	text string
	line int
}

// ReadYCSB reads the property file r and maps its core workload onto
// ddbsim; name names it in errors and notes (its path). overrides, like
// YCSB's -p, replace properties of the file. A line that is not a
// property is a *PropertyError; a property that cannot be mapped is an
// error naming FILE:LINE, the property and what was expected.
func ReadYCSB(r io.Reader, name string, overrides map[string]string) (*YCSB, error) {
	props, err := ycsbProperties(name, r)
	if err != nil {
		return nil, err
	}
	for k, v := range overrides {
		props[k] = ycsbValue{v, 0}
	}
	return mapYCSB(name, props)
}

// mapYCSB maps the core workload's properties, with YCSB's defaults.
func mapYCSB(file string, props map[string]ycsbValue) (*YCSB, error) {
	y := &YCSB{File: file, Threads: 1}
	used := map[string]bool{}
	at := func(key string) string {
		if v, ok := props[key]; ok && v.line > 0 {
			return fmt.Sprintf("%s:%d", file, v.line)
		}
		return file
	}
	bad := func(key, want string) error {
		return fmt.Errorf("%s: %s = %q: expected %s", at(key), key, props[key].text, want)
	}
	str := func(key, def string) string {
		used[key] = true
		if v, ok := props[key]; ok {
			return v.text
		}
		return def
	}
	num := func(key string, def float64) (float64, error) {
		s := str(key, "")
		if s == "" {
			return def, nil
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || f < 0 || math.IsInf(f, 0) || math.IsNaN(f) {
			return 0, bad(key, "a non-negative number")
		}
		return f, nil
	}
	count := func(key string, def int64) (int64, error) {
		// Digits alone are read exactly: a float64 rounds
		// 9223372036854775807 up to 2^63.
		if n, err := strconv.ParseInt(props[key].text, 10, 64); err == nil && n >= 0 {
			used[key] = true
			return n, nil
		}
		f, err := num(key, float64(def))
		switch {
		case err != nil:
			return 0, err
		case f != math.Trunc(f):
			return 0, bad(key, "a whole number")
		case f >= 1<<63: // int64(f) would be undefined
			return 0, bad(key, "a whole number at most 9223372036854775807")
		}
		return int64(f), nil
	}
	note := func(key, msg string) { y.Notes = append(y.Notes, fmt.Sprintf("%s: %s: %s", at(key), key, msg)) }

	if w := str("workload", "site.ycsb.workloads.CoreWorkload"); w != "site.ycsb.workloads.CoreWorkload" && w != "com.yahoo.ycsb.workloads.CoreWorkload" {
		return nil, bad("workload", "the core workload, site.ycsb.workloads.CoreWorkload")
	}
	var err error
	if y.RecordCount, err = count("recordcount", 1000); err != nil {
		return nil, err
	}
	if y.OperationCount, err = count("operationcount", 1000); err != nil {
		return nil, err
	}
	if y.Threads, err = count("threadcount", 1); err != nil {
		return nil, err
	}
	if y.Target, err = num("target", 0); err != nil {
		return nil, err
	}
	if y.Target == 0 && y.Threads > MaxThreads {
		// Without a target each thread is a user of a closed loop.
		return nil, bad("threadcount", fmt.Sprintf("at most %d client threads (without a target each is a user of a closed loop, and a scenario has at most %d)", MaxThreads, MaxThreads))
	}

	// The operation mix (YCSB's defaults: read 0.95, update 0.05).
	shares := []struct {
		key, op string
		def     float64
	}{
		{"readproportion", "get", 0.95},
		{"updateproportion", "update", 0.05},
		{"insertproportion", "insert", 0},
		{"scanproportion", "scan", 0},
		{"readmodifywriteproportion", "read_modify_write", 0},
	}
	total := 0.0
	var mix []Share
	for _, s := range shares {
		f, err := num(s.key, s.def)
		if err != nil {
			return nil, err
		}
		if s.op == "insert" {
			// CoreWorkload: (int) (opcount * insertproportion * 2.0),
			// "2 is fudge factor"; Java's (int) saturates.
			y.ExpectedNewKeys = int64(min(max(float64(y.OperationCount)*f*2, 0), math.MaxInt32))
		}
		if f > 0 {
			mix = append(mix, Share{Op: s.op, Weight: f})
			total += f
		}
	}
	switch {
	case total <= 0:
		return nil, fmt.Errorf("%s: the operation proportions sum to 0", file)
	case math.IsInf(total, 0):
		// Normalising would make every weight 0.
		return nil, fmt.Errorf("%s: the operation proportions sum to more than a float64 holds; expected fractions that sum to 1", file)
	case math.Abs(total-1) > 1e-9:
		note("readproportion", fmt.Sprintf("the proportions sum to %g; normalised to 1, as YCSB does", total))
	}
	for _, m := range mix {
		// A share too small to survive the division is left out, not
		// kept as a weight of 0.
		if m.Weight /= total; m.Weight > 0 {
			y.Mix = append(y.Mix, m)
		}
	}

	// The key distribution.
	switch d := str("requestdistribution", "uniform"); d {
	case "uniform":
		y.Distribution = "uniform"
	case "zipfian":
		// CoreWorkload's ScrambledZipfianGenerator, drawn as YCSB draws
		// it (workload.ScrambledZipfian), not an exact Zipf.
		y.Distribution = "ycsb-zipfian"
	case "latest":
		y.Distribution = "ycsb-latest" // SkewedLatestGenerator
	case "sequential":
		y.Distribution = "sequential"
	case "hotspot":
		y.Distribution = "hotspot"
		if y.HotKeys, err = num("hotspotdatafraction", 0.2); err != nil {
			return nil, err
		}
		if y.HotOps, err = num("hotspotopnfraction", 0.8); err != nil {
			return nil, err
		}
		if y.HotKeys <= 0 || y.HotKeys > 1 {
			return nil, bad("hotspotdatafraction", "a fraction above 0 and at most 1")
		}
		if y.HotOps <= 0 || y.HotOps > 1 {
			return nil, bad("hotspotopnfraction", "a fraction above 0 and at most 1")
		}
	case "exponential":
		y.Distribution = "zipf"
		note("requestdistribution", "exponential is not modelled; zipfian (exponent 0.99) stands in for it")
	default:
		return nil, bad("requestdistribution", "uniform, zipfian, latest, hotspot, sequential or exponential")
	}

	// Records: a key attribute and fieldcount fields of fieldlength bytes
	// (REFERENCE: units: an item's size is its attribute names plus
	// values).
	fields, err := count("fieldcount", 10)
	if err != nil {
		return nil, err
	}
	length, err := count("fieldlength", 100)
	if err != nil {
		return nil, err
	}
	// Each field name is at least 6 bytes ("field0"), so past the item
	// limit in fields or bytes a record is too large whatever the other
	// says; checking first keeps the sizes below from overflowing.
	if fields > 0 && (fields > units.MaxItemSize || length > units.MaxItemSize) {
		key := "fieldlength"
		if fields > units.MaxItemSize {
			key = "fieldcount"
		}
		return nil, fmt.Errorf("%s: records of %d fields of %d bytes are above the service's 400 KB item limit",
			at(key), fields, length)
	}
	names := fieldNamesLen(fields)
	y.ItemSize = int64(len("key")) + ycsbKeyLength + names + fields*length
	switch d := str("fieldlengthdistribution", "constant"); d {
	case "constant":
	case "uniform":
		// YCSB draws each field's length from 1 to fieldlength.
		if fields > 0 && length < 1 {
			return nil, bad("fieldlength", "at least 1 byte with fieldlengthdistribution = uniform (lengths from 1 to fieldlength)")
		}
		y.ItemSizeMin = int64(len("key")) + ycsbKeyLength + names + fields
	case "zipfian":
		note("fieldlengthdistribution", "zipfian field lengths are not modelled; every field has fieldlength bytes")
	default:
		return nil, bad("fieldlengthdistribution", "constant, uniform or zipfian")
	}
	if y.ItemSize > units.MaxItemSize {
		return nil, fmt.Errorf("%s: records of %d fields of %d bytes are %d bytes, above the service's 400 KB item limit",
			at("fieldlength"), fields, length, y.ItemSize)
	}

	// Scans read up to maxscanlength records.
	if y.ScanMax, err = count("maxscanlength", 1000); err != nil {
		return nil, err
	}
	switch d := str("scanlengthdistribution", "uniform"); d {
	case "uniform":
	case "zipfian":
		note("scanlengthdistribution", "zipfian scan lengths are not modelled; lengths are uniform up to maxscanlength")
	default:
		return nil, bad("scanlengthdistribution", "uniform or zipfian")
	}

	y.Strong = str("dynamodb.consistentReads", "false") == "true"
	for _, k := range []string{"readallfields", "writeallfields"} {
		if v := str(k, ""); v == "false" {
			note(k, "the service charges for whole items whatever a request projects or changes, so this does not change capacity")
		}
	}
	for _, k := range []string{"insertorder", "insertstart", "insertcount", "measurementtype", "dataintegrity",
		"zeropadding", "fieldnameprefix", "table", "exporter", "histogram.buckets", "timeseries.granularity"} {
		if _, ok := props[k]; ok {
			used[k] = true
			note(k, "does not change what the service does; ignored")
		}
	}
	var unknown []string
	for k := range props {
		if !used[k] && !strings.HasPrefix(k, "dynamodb.") {
			unknown = append(unknown, k)
		}
	}
	slices.Sort(unknown)
	for _, k := range unknown {
		note(k, "not a core workload property ddbsim maps; ignored")
	}
	return y, nil
}

// fieldNamesLen is the length of the field names field0 .. field(n-1)
// together: "field" and each number's digits, counted a power of ten at a
// time rather than name by name.
func fieldNamesLen(n int64) int64 {
	total := int64(len("field")) * n
	for digits, lo, hi := int64(1), int64(0), int64(10); lo < n; digits, lo, hi = digits+1, hi, hi*10 {
		total += digits * (min(n, hi) - lo)
	}
	return total
}

// maxYCSBSeconds is the longest run Duration derives from
// operationcount and target: the most whole seconds a time.Duration
// holds.
const maxYCSBSeconds = math.MaxInt64 / int64(time.Second)

// Duration is how long YCSB's client runs the workload: operationcount
// operations at the target rate, to the whole second after the last; 0 when
// either is 0 (an operationcount of 0 is no limit, as in YCSB, and
// without a target the client threads run as fast as they can). A tiny
// target would overflow a Duration: the longest run of whole seconds
// stands in for it.
func (y *YCSB) Duration() time.Duration {
	if y.Target <= 0 || y.OperationCount <= 0 {
		return 0
	}
	// A constant rate's arrivals fall at 1/target, 2/target, ...: the
	// last at operationcount/target, which a run must outlast (its end is
	// exclusive), so the first whole second after it.
	secs := math.Floor(float64(y.OperationCount)/y.Target) + 1
	if secs < float64(maxYCSBSeconds) {
		return time.Duration(secs) * time.Second
	}
	return time.Duration(maxYCSBSeconds) * time.Second
}
