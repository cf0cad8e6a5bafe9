// Package sweep runs a scenario at many points of its parameters, each
// with several seeds, and says what the points have in common and where
// they differ with an honest interval: a sweep file (Parse) names the
// scenarios, the keys to vary by path and the seeds; a Plan lists the
// runs in one fixed order and slices it into shards for a batch engine;
// Execute runs a slice on every core; Assemble turns the records of the
// runs, from one process or merged from many shards, into the same
// document byte for byte.
package sweep
