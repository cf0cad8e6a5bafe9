// Package reports turns what the model records into a Result and writes
// it as text: the summary, the explanations of throttles, the result JSON,
// the per-second CSV, the HdrHistogram interval log and the bill.
//
// A Collector receives the run as a model.Recorder and builds the Result:
// plain data (the numbers result.json holds, and the time series the plots
// draw) that every output reads. The formatting every output shares
// (percentages, money, durations, counts, table labels) is exported here,
// so that the plot and html packages, which render a Result as figures
// and pages, print numbers as the summary does. reports imports model,
// sim and threshold only.
package reports
