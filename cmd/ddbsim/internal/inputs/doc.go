// Package inputs opens the files a command reads by path (a scenario, a
// YCSB property file, a trace, a price file) so that none can hang it: a
// named pipe is opened without waiting for its writer, and refused when
// none comes; and run's --trace flags, which turn a scenario into the
// replay of a trace file.
package inputs
