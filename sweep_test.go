//go:build !long

package ddbsim

// sweepScale multiplies the number of random scenarios each property
// test draws: 1 in the default tier; the long tier (go test -tags long)
// draws five times as many.
const sweepScale = 1
