// Package render draws a run's outputs in memory before any is written,
// so that an output directory receives all of them or none: the files of
// run --out and the plots of compare and learn, under names safe as file
// names.
package render
