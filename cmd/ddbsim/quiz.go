package main

import "github.com/spf13/pflag"

// quizCmd: exam-style questions (being written).
var quizCmd = &command{
	name:  "quiz",
	usage: "[--seed N] [--answers A,B,...]",
	short: "exam-style questions with randomized numbers, checked and explained",
	long:  "Quiz asks exam-style questions.",
	flags: func(fs *pflag.FlagSet) any { return nil },
	run:   func(e *env, _ any, _ []string) int { e.errorf("quiz: not built yet"); return exitUsage },
}
