// Package ddbsim is where a simulation's parts meet: Build turns a parsed
// scenario and Options (seed, driver, what to record) into a running
// kernel, service, traffic sources and collector; Run steps virtual time
// to the end and returns the reports.Result; Estimate sizes a run from
// the scenario alone, before anything is built.
//
//	sc, err := scenarios.Load("flash-sale")
//	s, err := ddbsim.Build(sc, ddbsim.Options{Seed: 1})
//	res, err := s.Run()
//	reports.WriteSummary(os.Stdout, res)
package ddbsim
