// Package sim is the discrete-event kernel: integer virtual time, an event
// queue ordered by (time, sequence), and named random streams derived from
// one seed. It knows nothing about databases.
//
// The kernel is single-threaded and never reads the wall clock. Events that
// fall on the same instant run in the order they were scheduled, so a run is
// a pure function of its seed and inputs.
package sim
