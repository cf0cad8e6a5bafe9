// Package interval estimates a quantity from independent runs that differ
// only in their seed: the mean and its 95% confidence interval, from
// Student's t distribution, so a sweep or a multi-seed comparison says how
// far its answer can move on the next seed.
package interval
