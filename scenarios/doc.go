// Package scenarios is the scenario file format: the schema types, Parse
// and Load with every problem reported as FILE:LINE:COL, validation
// (Check), the units (2KB, 1.5k/s, 30m, 70%), the price data and the
// built-in library. It describes a simulation; package ddbsim builds and
// runs it.
package scenarios
