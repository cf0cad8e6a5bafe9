// Package terminal is what the CLI shows only on a terminal: the test
// for one, the progress line of a long run and the colours of a summary.
package terminal
