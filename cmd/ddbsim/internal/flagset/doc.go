// Package flagset declares the flags that every command running a
// simulation shares (--seed, --duration, --quiet, --json, --out,
// --prices, --free-tier, and the driver's --fidelity, --tick and
// --max-events), in one place, so that each has one name, type, default
// and meaning whichever command takes it.
package flagset
