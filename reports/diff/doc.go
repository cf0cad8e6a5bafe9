// Package diff puts two finished runs' results side by side: it reads two
// result JSON files, pairs their numbers (requests, latency, each
// operation, each table, the bill, the thresholds) with the change from
// the first to the second, names the largest moves, and writes the
// comparison as text, JSON or a self-contained HTML page.
package diff
