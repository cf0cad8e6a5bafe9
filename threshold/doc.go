// Package threshold is the one list of metrics a run's thresholds (SLOs)
// may name, and the expressions that test them: "throttled_ratio < 1%",
// "p99_ms <= 20". The scenario parser checks a file's thresholds with it,
// reports evaluates them against a result, and compare's --slo reads its
// expressions. It imports nothing of ddbsim's.
package threshold
