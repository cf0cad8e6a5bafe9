// Package reports collects a run's metrics and writes every output: the text
// summary and the result JSON (later CSV, plots and HTML).
//
// A Collector receives the run as a model.Recorder and turns it into a
// Result: plain data that every writer reads, so a new output format touches
// this package alone. reports imports model and sim only.
package reports
