//go:build long

package ddbsim

// sweepScale: the long tier draws five times the default tier's random
// scenarios for each property test.
const sweepScale = 5
