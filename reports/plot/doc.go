// Package plot draws a run's figures with gonum/plot: latency, throughput,
// capacity and a partition heat map per table, DAX caches, streams,
// replication, the latency spectrum and the cost, and the plots that
// compare capacity modes. It reads a reports.Result (its Series) and
// nothing else, and renders each figure as SVG or PNG, byte for byte the
// same for the same Result.
package plot
