// Package advise answers "which capacity mode, and how much": it runs a
// scenario under each capacity mode with the same traffic and seed and
// picks the cheapest that meets the thresholds (Compare), and searches by
// simulation for the right-sized provisioned capacity and the tuned auto
// scaling that meet an SLO. It simulates through a function the caller
// passes, so the caller decides how each run is built.
package advise
