// Package importer makes a scenario from a real table's description and
// its CloudWatch history: the tables from describe-table, auto scaling
// and infrastructure code (importer/aws), and one workload per table and
// kind of traffic whose rate follows the recorded series step by step
// (importer/cloudwatch), written as a commented scenario file that says
// where each number came from and what was assumed.
package importer
