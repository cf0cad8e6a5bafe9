package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/pflag"

	"github.com/ddbsim/ddbsim/learn"

	"github.com/ddbsim/ddbsim/cmd/ddbsim/internal/terminal"
)

// quizStdin is where the quiz reads answers from. The command's env has
// no input stream; tests swap this for a reader or a pipe.
var quizStdin io.Reader = os.Stdin

type quizOptions struct {
	fs        *pflag.FlagSet
	seed      uint64
	questions int
	answers   string
}

var quizCmd = &command{
	name:  "quiz",
	usage: "[--seed N] [--questions N] [--answers A,B,...]",
	short: "exam-style questions with randomized numbers, checked and explained",
	long:  helpText("quiz"),
	flags: func(fs *pflag.FlagSet) any {
		o := &quizOptions{fs: fs}
		fs.Uint64Var(&o.seed, "seed", 1, "random seed `N`: the same seed asks the same questions")
		fs.IntVar(&o.questions, "questions", 5, "ask `N` questions (1 to 100)")
		fs.StringVar(&o.answers, "answers", "", "answer from the comma-separated `LIST` (20,4,b,...) instead of standard input")
		return o
	},
	run: runQuiz,
}

func runQuiz(e *env, opts any, args []string) int {
	o := opts.(*quizOptions)
	if len(args) > 0 {
		e.errorf("quiz takes no arguments, got %q (answers go in --answers or on standard input)", args[0])
		return exitUsage
	}
	if o.questions < 1 || o.questions > 100 {
		e.errorf("quiz: --questions %d: expected 1 to 100", o.questions)
		return exitUsage
	}
	qs := learn.Questions(o.seed, o.questions)

	// next returns the next answer, false at the end of the answers.
	var next func() (string, bool)
	scripted := o.fs.Changed("answers")
	echo := true // show the answer after the prompt, unless a terminal did
	if scripted {
		list := strings.Split(o.answers, ",")
		if o.answers == "" {
			list = nil
		}
		if len(list) > len(qs) {
			fmt.Fprintf(e.stderr, "note: %d answers for %d questions; the last %d are not used\n", len(list), len(qs), len(list)-len(qs))
		}
		next = func() (string, bool) {
			if len(list) == 0 {
				return "", false
			}
			a := list[0]
			list = list[1:]
			return a, true
		}
	} else {
		if f, ok := quizStdin.(*os.File); ok {
			fi, err := f.Stat()
			echo = err != nil || fi.Mode()&os.ModeCharDevice == 0
		}
		in := bufio.NewScanner(quizStdin)
		next = func() (string, bool) {
			if !in.Scan() {
				return "", false
			}
			return in.Text(), true
		}
	}
	paint := func(s, code string) string { return s }
	if terminal.IsTerminal(e.stdout) && os.Getenv("NO_COLOR") == "" {
		paint = func(s, code string) string { return "\033[" + code + "m" + s + "\033[0m" }
	}
	quiz := learn.Quiz{Questions: qs, Seed: o.seed, Next: next, Echo: echo, Scripted: scripted, Paint: paint}
	quiz.Run(e.stdout)
	return exitOK
}
