// Package reports collects a run's metrics and writes every output: the text
// summary, the result JSON, the per-second CSV, the HdrHistogram interval
// log, the plots and the self-contained HTML report.
//
// A Collector receives the run as a model.Recorder and turns it into a
// Result: plain data that every writer reads, so a new output format touches
// this package alone. reports imports model and sim only.
package reports
