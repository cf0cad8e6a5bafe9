// Package learn teaches the DynamoDB exam's concepts by simulation: each
// lesson runs scenarios of its own (lessons/*.yaml), explains what
// happened with the runs' numbers and checks its claim against them; the
// quiz asks exam-style questions with numbers drawn from a seed and checks
// the answers with package calc.
package learn
