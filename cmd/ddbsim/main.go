// Command ddbsim runs capacity-planning and load-testing simulations of
// DynamoDB-style tables from scenario files.
//
// Usage:
//
//	ddbsim run [SCENARIO] [--seed N] [--duration D] [--json FILE|-] [--out DIR] [--quiet]
//	ddbsim validate SCENARIO...
//	ddbsim list
//	ddbsim version
//	ddbsim help [COMMAND]
//
// Exit codes: 0 ok, 1 the scenario's thresholds failed, 2 usage or
// scenario error, 3 internal error.
package main

import "os"

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}
