package plot

import (
	"bytes"
	"encoding/xml"
	"flag"
	"fmt"
	"image"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/reports"
	"github.com/ddbsim/ddbsim/reports/internal/fixture"
	"github.com/ddbsim/ddbsim/sim"
)

// ms is a millisecond of virtual time.
const ms = sim.Millisecond

var plotsOut = flag.String("plots", "", "write the test run's plots to this directory, to look at them")

// sampleRun records a 90-second run through the Recorder methods, with every
// shape the plots draw: a provisioned table of four partitions whose read
// capacity auto scales from 1,000 to 2,000 RCU at 30 s and whose partition
// 1 runs hot and splits at 45 s (the new partition becomes row 2); an
// on-demand table whose instant capacity grows at 60 s; a throttling spell
// from 50 s to 60 s with retries and a latency tail; and a second (70 s) in
// which no request finishes. It draws no random numbers.
func sampleRun() *reports.Result {
	c := reports.NewCollector([]reports.TableInfo{
		{Name: "orders", Mode: "provisioned", Partitions: 4, ReadCapacity: 1000, WriteCapacity: 300},
		{Name: "users", Mode: "on-demand", Partitions: 1},
	})
	type call struct {
		at sim.Time
		do func()
	}
	var calls []call
	at := func(t sim.Time, do func()) { calls = append(calls, call{t, do}) }

	const seconds = 90
	for s := range seconds {
		sec := sim.Time(s) * sim.Second
		// Requests: 40/s, 60/s from 20 s; none finish in second 70.
		rate := 40
		if s >= 20 {
			rate = 60
		}
		for k := range rate {
			start := sec + sim.Time(k)*sim.Second/sim.Time(rate)
			table := k % 2
			lat := 2*ms + sim.Time(k*37%30)*100*sim.Microsecond
			o := model.Outcome{Table: table, Op: units.OpGet, Start: start, Attempts: 1, Result: model.Succeeded}
			if s >= 50 && s < 60 && table == 0 && k%3 == 0 {
				// Throttled, retried after backoff; every ninth gives up.
				ev := &model.ThrottleEvent{Table: 0, Partition: 1, Op: units.OpGet,
					Reason: model.TableReadProvisionedThroughputExceeded, Limit: model.LimitTable}
				at(start+ms, func() { c.Throttle(start+ms, ev) })
				at(start+ms, func() { c.Retry(start+ms, 0, units.OpGet) })
				lat = 100*ms + sim.Time(k%7)*100*ms
				o.Attempts = 2
				if k%9 == 0 {
					o.Result, o.Reason = model.Throttled, ev.Reason
				}
			}
			if s == 69 || s == 70 {
				lat = 0 // keep second 70 empty: the last of 69 finish in 69
				if end := start + 2*ms; end >= 70*sim.Second {
					continue
				}
			}
			if lat == 0 {
				lat = 2 * ms
			}
			o.End = start + lat
			at(o.End, func() { c.Finish(o) })
		}

		// Consumption by partition, once a second. orders has four
		// partitions, five from 45 s; partition 1 runs near its ceiling
		// until it splits, then it and its new neighbour share the load.
		parts := 4
		if s >= 45 {
			parts = 5
		}
		for p := range parts {
			read := units.WholeUnits(int64(150 + 40*p + 5*(s%10)))
			write := units.WholeUnits(int64(20 + 3*p))
			switch {
			case p == 1 && s < 45:
				read = units.WholeUnits(int64(1800 + 25*s))
				write = units.WholeUnits(200)
			case (p == 1 || p == 2) && s >= 45:
				read = units.WholeUnits(1400)
			}
			at(sec+500*ms, func() { c.Consumed(sec+500*ms, 0, p, read, write) })
		}
		uread := units.WholeUnits(int64(300 + 10*s))
		at(sec+500*ms, func() { c.Consumed(sec+500*ms, 1, 0, uread, units.WholeUnits(40)) })

		// Samples at the end of the second.
		end := sec + sim.Second
		rc := units.WholeUnits(1000)
		if s >= 30 {
			rc = units.WholeUnits(2000)
		}
		// The burst bank drains while reads exceed capacity.
		burst := units.WholeUnits(int64(max(0, 300-8*max(0, s-10)))) * 1000
		if s >= 30 {
			burst = units.WholeUnits(int64(min(300, 10*(s-30)))) * 2000
		}
		st0 := &model.TableState{Mode: model.Provisioned, Partitions: parts,
			ReadCapacity: rc, WriteCapacity: units.WholeUnits(300),
			ReadBurst: burst, WriteBurst: units.WholeUnits(300 * 300),
			Parts: make([]model.PartitionState, parts)}
		at(end, func() { c.Sample(end, 0, st0) })
		oc := units.WholeUnits(4000)
		if s >= 60 {
			oc = units.WholeUnits(6000)
		}
		st1 := &model.TableState{Mode: model.OnDemand, Partitions: 1,
			ReadCapacity: oc, WriteCapacity: oc / 2, Parts: make([]model.PartitionState, 1)}
		at(end, func() { c.Sample(end, 1, st1) })
	}
	sort.SliceStable(calls, func(i, j int) bool { return calls[i].at < calls[j].at })
	for _, cl := range calls {
		cl.do()
	}
	return c.Result(reports.Meta{Scenario: "plots", Seed: 1, Duration: seconds * sim.Second, Complete: true})
}

func TestFigures(t *testing.T) {
	plots, err := Figures(sampleRun())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range plots {
		names = append(names, p.Name)
	}
	want := "latency throughput capacity-orders heatmap-orders capacity-users heatmap-users latency-spectrum"
	if got := strings.Join(names, " "); got != want {
		t.Fatalf("plots %q, want %q", got, want)
	}
	for _, p := range plots {
		if p.Title == "" || p.Caption == "" || strings.Contains(p.Caption, "\n") {
			t.Errorf("%s: title %q, caption %q: want both, the caption on one line", p.Name, p.Title, p.Caption)
		}
		svg, err := p.Render("svg")
		if err != nil {
			t.Fatalf("%s: %v", p.Name, err)
		}
		checkSVG(t, p, svg)
		img, err := p.Render("png")
		if err != nil {
			t.Fatalf("%s: %v", p.Name, err)
		}
		checkPNG(t, p, img)
		if *plotsOut != "" {
			for ext, b := range map[string][]byte{"svg": svg, "png": img} {
				if err := os.WriteFile(filepath.Join(*plotsOut, p.Name+"."+ext), b, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	if _, err := plots[0].Render("pdf"); err == nil {
		t.Error("Render(pdf): no error")
	}
}

// checkSVG: the SVG is well-formed XML with an <svg> root, names its title,
// and starts with the root element so it can be inlined into HTML.
func checkSVG(t *testing.T, p Plot, svg []byte) {
	t.Helper()
	if !bytes.HasPrefix(svg, []byte("<svg ")) {
		t.Errorf("%s.svg starts %q, want <svg", p.Name, svg[:min(len(svg), 20)])
	}
	d := xml.NewDecoder(bytes.NewReader(svg))
	root := ""
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s.svg: %v", p.Name, err)
		}
		if se, ok := tok.(xml.StartElement); ok && root == "" {
			root = se.Name.Local
		}
	}
	if root != "svg" {
		t.Errorf("%s.svg: root element %q", p.Name, root)
	}
	if !bytes.Contains(svg, []byte("<title>"+p.Title+"</title>")) {
		t.Errorf("%s.svg has no <title> %q", p.Name, p.Title)
	}
}

// checkPNG: the PNG decodes to Width x Height at 100 pixels per centimetre
// and is not blank.
func checkPNG(t *testing.T, p Plot, b []byte) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s.png: %v", p.Name, err)
	}
	want := image.Pt(int(p.Width*PixelsPerCm), int(p.Height*PixelsPerCm))
	if got := img.Bounds().Size(); got != want {
		t.Errorf("%s.png is %v pixels, want %v", p.Name, got, want)
	}
	// Count colours on a coarse grid; a blank image has one.
	colours := map[[4]uint32]bool{}
	r := img.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y += 7 {
		for x := r.Min.X; x < r.Max.X; x += 7 {
			cr, cg, cb, ca := img.At(x, y).RGBA()
			colours[[4]uint32{cr, cg, cb, ca}] = true
		}
	}
	if len(colours) < 5 {
		t.Errorf("%s.png has %d colours: blank?", p.Name, len(colours))
	}
}

// TestPlotsDeterministic: the same run renders to the same bytes, and so
// does the same plot rendered twice. The PNGs are rasterized from the same
// drawing calls as the SVGs, so one PNG (the heat map: an image, lines and
// text) stands for them, which keeps the test fast.
func TestPlotsDeterministic(t *testing.T) {
	render := func(p Plot, format string) []byte {
		b, err := p.Render(format)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	a, err := Figures(sampleRun())
	if err != nil {
		t.Fatal(err)
	}
	b, err := Figures(sampleRun())
	if err != nil {
		t.Fatal(err)
	}
	for i := range a {
		first := render(a[i], "svg")
		if !bytes.Equal(first, render(b[i], "svg")) {
			t.Errorf("%s.svg differs between two runs", a[i].Name)
		}
		if !bytes.Equal(first, render(a[i], "svg")) {
			t.Errorf("%s.svg differs between two renders", a[i].Name)
		}
		if strings.HasPrefix(a[i].Name, "heatmap-") && !bytes.Equal(render(a[i], "png"), render(b[i], "png")) {
			t.Errorf("%s.png differs between two runs", a[i].Name)
		}
	}
}

func ExampleFigures() {
	c := reports.NewCollector([]reports.TableInfo{{Name: "orders", Mode: "provisioned", Partitions: 1, ReadCapacity: 10, WriteCapacity: 5}})
	c.Consumed(3*sim.Millisecond, 0, 0, 500, 0)
	c.Finish(model.Outcome{Op: units.OpGet, Result: model.Succeeded, Start: 0, End: 3 * sim.Millisecond, Attempts: 1})
	r := c.Result(reports.Meta{Scenario: "example", Seed: 1, Duration: sim.Second, Complete: true})

	plots, err := Figures(r)
	if err != nil {
		panic(err)
	}
	for _, p := range plots {
		svg, err := p.Render("svg") // or "png"
		if err != nil {
			panic(err)
		}
		fmt.Printf("%s.svg  %q  %.0f x %.0f cm  %v\n", p.Name, p.Title, p.Width, p.Height, len(svg) > 0)
	}
	// Output:
	// latency.svg  "Latency percentiles over time"  16 x 9 cm  true
	// throughput.svg  "Throughput"  16 x 9 cm  true
	// capacity-orders.svg  "Capacity: orders"  16 x 9 cm  true
	// heatmap-orders.svg  "Partition heat: orders"  16 x 9 cm  true
	// latency-spectrum.svg  "Latency distribution"  16 x 9 cm  true
}

// longRun records a run of n seconds, one sample a second and one
// request every ten (the collector encodes a latency histogram for each
// second a request finished in, which is the slow part), so that the plots
// must bucket time.
func longRun(n int) *reports.Result {
	c := reports.NewCollector([]reports.TableInfo{{Name: "t", Mode: "provisioned", Partitions: 3, ReadCapacity: 100, WriteCapacity: 100}})
	c.Reserve(sim.Time(n) * sim.Second)
	st := &model.TableState{Mode: model.Provisioned, Partitions: 3, ReadCapacity: units.WholeUnits(100),
		WriteCapacity: units.WholeUnits(100), ReadBurst: units.WholeUnits(30000), Parts: make([]model.PartitionState, 3)}
	for s := range n {
		sec := sim.Time(s) * sim.Second
		for p := range 3 {
			c.Consumed(sec+ms, 0, p, units.WholeUnits(int64(10+p*(s%600))), 0)
		}
		lat := 3*ms + sim.Time(s%1000)*sim.Microsecond
		if s%3600 < 60 {
			lat = 400 * ms // a slow minute each hour
		}
		if s%10 == 0 {
			c.Finish(model.Outcome{Op: units.OpGet, Result: model.Succeeded, Start: sec, End: sec + lat, Attempts: 1})
		}
		c.Sample(sec+sim.Second, 0, st)
	}
	return c.Result(reports.Meta{Scenario: "long", Seed: 1, Duration: sim.Time(n) * sim.Second, Complete: true})
}

// TestPlotsBuckets: a three-hour run is drawn in 30-second buckets (360
// of them; 15-second ones would be 720, over 600), the heat map in the
// same ones as every other plot, and the captions say so.
func TestPlotsBuckets(t *testing.T) {
	plots, err := Figures(longRun(3 * 3600))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"latency":    "each 30-second bucket",
		"throughput": "means over 30-second buckets",
		"capacity-t": "means over 30-second buckets",
		"heatmap-t":  "each 30-second bucket",
	}
	for _, p := range plots {
		if w, ok := want[p.Name]; ok && !strings.Contains(p.Caption, w) {
			t.Errorf("%s: caption %q does not say %q", p.Name, p.Caption, w)
		}
		svg, err := p.Render("svg")
		if err != nil {
			t.Fatal(err)
		}
		checkSVG(t, p, svg)
		// A step line of 1,080 buckets that all differ is about 20 KB;
		// the capacity figure has five and two filled areas.
		if len(svg) > 200<<10 {
			t.Errorf("%s.svg is %d bytes", p.Name, len(svg))
		}
		if *plotsOut != "" {
			if err := os.WriteFile(filepath.Join(*plotsOut, "long-"+p.Name+".svg"), svg, 0o644); err != nil {
				t.Fatal(err)
			}
			b, err := p.Render("png")
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(*plotsOut, "long-"+p.Name+".png"), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func TestDAXPlot(t *testing.T) {
	plots, err := Figures(fixture.DAX())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range plots {
		names = append(names, p.Name)
	}
	want := "latency throughput capacity-orders heatmap-orders capacity-users heatmap-users " +
		"capacity-orders/by-status heatmap-orders/by-status cache-hit-rate latency-spectrum"
	if got := strings.Join(names, " "); got != want {
		t.Fatalf("plots %q, want %q", got, want)
	}
	for _, p := range plots {
		if p.Name != "cache-hit-rate" {
			continue
		}
		if p.Height != tallHeight || !strings.Contains(p.Caption, "item cache") {
			t.Errorf("cache plot %+v: want two panels and a caption on both caches", p)
		}
		svg, err := p.Render("svg")
		if err != nil {
			t.Fatal(err)
		}
		checkSVG(t, p, svg)
		for _, s := range []string{"item cache", "query cache", "main", "capacity"} {
			if !bytes.Contains(svg, []byte(">"+s+"<")) {
				t.Errorf("cache plot has no legend entry %q", s)
			}
		}
		img, err := p.Render("png")
		if err != nil {
			t.Fatal(err)
		}
		checkPNG(t, p, img)
	}
}

func TestGlobalPlots(t *testing.T) {
	plots, err := Figures(fixture.Global())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range plots {
		names = append(names, p.Name)
	}
	want := "latency throughput capacity-orders heatmap-orders capacity-users heatmap-users " +
		"capacity-orders@eu-west-1 heatmap-orders@eu-west-1 capacity-orders/by-status heatmap-orders/by-status " +
		"capacity-orders@eu-west-1/by-status heatmap-orders@eu-west-1/by-status " +
		"stream-iterator-age replication latency-spectrum cost"
	if got := strings.Join(names, " "); got != want {
		t.Fatalf("plots %q, want %q", got, want)
	}
	legends := map[string][]string{
		"stream-iterator-age": {"indexer", "audit"},
		"replication":         {"stale reads", "conflicts", "unreplicated at outage", "availability"},
		"cost":                {"replicated write requests", "replicated TTL deletes", "stream reads"},
	}
	for _, p := range plots {
		want, ok := legends[p.Name]
		if !ok {
			continue
		}
		if p.Title == "" || p.Caption == "" || strings.Contains(p.Caption, "\n") {
			t.Errorf("%s: title %q caption %q", p.Name, p.Title, p.Caption)
		}
		svg, err := p.Render("svg")
		if err != nil {
			t.Fatal(err)
		}
		checkSVG(t, p, svg)
		for _, s := range want {
			if !bytes.Contains(svg, []byte(">"+s+"<")) {
				t.Errorf("%s plot has no legend entry %q", p.Name, s)
			}
		}
		img, err := p.Render("png")
		if err != nil {
			t.Fatal(err)
		}
		checkPNG(t, p, img)
	}
}

// A region outage is marked where it starts and where it ends within the
// run, on every time plot (its marker names no table).
func TestOutageMarkers(t *testing.T) {
	r := &reports.Result{DurationS: 1200, Outages: []reports.Outage{
		{Region: "us-east-1", StartS: 300, EndS: 900},
		{Region: "eu-west-1", StartS: 1000, EndS: 1200},
	}}
	var got []string
	for _, m := range Markers(r) {
		if m.Kind == MarkerOutage {
			got = append(got, fmt.Sprintf("%g %s", m.TimeS, m.Label))
		}
	}
	want := []string{"300 us-east-1: down", "900 us-east-1: back", "1000 eu-west-1: down"}
	if !slices.Equal(got, want) {
		t.Fatalf("outage markers %q, want %q", got, want)
	}
}
