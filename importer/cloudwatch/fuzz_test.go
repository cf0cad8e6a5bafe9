package cloudwatch

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// seeds are the testdata files and a small synthetic history.
func seeds(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add(SyntheticMetricData(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), time.Minute, 5,
		Shape{Label: "ReadThrottleEvents:t", Mean: 1, Gaps: [][2]int{{1, 2}}}))
}

// checkErr asserts a failure is an Error naming the file: never a bare
// decoding error, never a panic.
func checkErr(t *testing.T, err error) {
	var e *Error
	if err != nil && !errors.As(err, &e) {
		t.Fatalf("got %T %v, want an *Error", err, err)
	}
	if e != nil && e.File != "f" {
		t.Fatalf("error names %q, want the file f", e.File)
	}
}

func FuzzRead(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		queries, err := ReadQueries("f", data)
		checkErr(t, err)
		h, err := ReadWith("f", data, queries)
		checkErr(t, err)
		if err != nil {
			return
		}
		for _, s := range h.Series {
			if s.Period <= 0 {
				t.Fatalf("%s: period %s", s.Metric, s.Period)
			}
			for i := 1; i < len(s.Points); i++ {
				if !s.Points[i-1].At.Before(s.Points[i].At) {
					t.Fatalf("%s: points out of order at %d", s.Metric, i)
				}
			}
			_ = s.PerSecond()
			_ = s.Missing()
		}
	})
}

func FuzzReadInsights(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		h, err := ReadInsights("f", data)
		checkErr(t, err)
		if err != nil {
			return
		}
		for _, k := range h.Keys {
			if k.Share < 0 || k.Share > 1 {
				t.Fatalf("share %v out of [0, 1]", k.Share)
			}
		}
	})
}
