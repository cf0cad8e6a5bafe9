// Package outfiles writes the CLI's outputs so that they appear whole or
// not at all: a single file through a temporary and a rename (or in place,
// for a device, a FIFO or a link's target), an --out directory as a whole
// set swapped in under a lock, and the registry of temporaries that a
// second interrupt removes before the process exits.
package outfiles
