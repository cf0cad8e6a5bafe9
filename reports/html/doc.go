// Package html writes the self-contained pages of a run, report.html, and
// of a comparison of capacity modes, compare.html: CSS and every plot
// inline, no JavaScript. It reads a reports.Result, formats every figure
// with the reports package's formatting, and draws with package plot.
package html
