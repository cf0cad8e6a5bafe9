package main

import (
	"bytes"

	"github.com/ddbsim/ddbsim/reports"
)

// outputFiles renders everything `run --out DIR` writes, in memory, so
// that DIR receives all of it or none.
func outputFiles(res *reports.Result, summary, js []byte) (map[string][]byte, error) {
	files := map[string][]byte{"summary.txt": summary, "result.json": js}
	var csv, hlog bytes.Buffer
	if err := reports.WriteTimeseriesCSV(&csv, res); err != nil {
		return nil, err
	}
	if err := reports.WriteHistogramLog(&hlog, res); err != nil {
		return nil, err
	}
	files["timeseries.csv"] = csv.Bytes()
	files["latency.hlog"] = hlog.Bytes()
	return files, nil
}
