package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/pflag"

	"github.com/ddbsim/ddbsim/calc"
	"github.com/ddbsim/ddbsim/learn"
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
	long: `Quiz asks exam-style questions one at a time: read capacity for an item
size, rate and consistency; write capacity (transactional too); partitions
for capacity and size; which capacity mode costs less at a utilisation, or
what provisioned capacity costs; and multiple choice on hot partitions,
DAX, adaptive and burst capacity and indexes. The numbers come from --seed
(1 by default), so a seed always asks the same questions.

Answer a number (a unit may follow: 20, 20 RCU, $56.16) or a letter (b).
"skip" shows the working, "quit" (or end of input, Ctrl-D) stops and
scores what was answered. Each answer is checked with the calculator of
'ddbsim calc', and a wrong one is explained with its steps. The score is
printed at the end ("4/5").

--answers 20,4,b,... answers from the list instead of standard input (for
scripts; no thousands separators there: 1500, not 1,500); a list shorter
than the quiz stops it there. On a terminal, right and wrong are coloured
unless NO_COLOR is set. Exit status 0 once the quiz ran, whatever the
score; 2 for bad flags.`,
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
	if isTerminal(e.stdout) && os.Getenv("NO_COLOR") == "" {
		paint = func(s, code string) string { return "\033[" + code + "m" + s + "\033[0m" }
	}
	w := e.stdout
	flush := func() {
		if f, ok := w.(interface{ Flush() error }); ok {
			f.Flush()
		}
	}

	fmt.Fprintf(w, "ddbsim quiz: %d question%s, seed %d. Answer with a number (a unit may follow) or a letter;\n",
		len(qs), calc.Plural(len(qs)), o.seed)
	fmt.Fprintf(w, "\"skip\" shows the working, \"quit\" or end of input stops.\n")
	score, asked := 0, 0
	stopped := false
questions:
	for i := range qs {
		q := &qs[i]
		fmt.Fprintf(w, "\nQuestion %d of %d (%s)\n%s\n", i+1, len(qs), q.Topic, q.Text)
		for j, c := range q.Choices {
			fmt.Fprintf(w, "  %c) %s\n", 'a'+j, c)
		}
		for {
			fmt.Fprint(w, "answer> ")
			flush()
			a, ok := next()
			if !ok {
				fmt.Fprintln(w)
				stopped = true
				break questions
			}
			if echo {
				fmt.Fprintln(w, a)
			}
			a = strings.TrimSpace(a)
			switch strings.ToLower(a) {
			case "quit", "q", "exit":
				stopped = true
				break questions
			case "":
				if !scripted {
					continue // ask again
				}
				a = "skip"
			}
			var right bool
			if strings.EqualFold(a, "skip") {
				fmt.Fprintf(w, "%s: the answer is %s\n", paint("skipped", "33"), q.AnswerText())
			} else {
				var readable bool
				var expected string
				right, readable, expected = q.Check(a)
				if !readable {
					if !scripted {
						fmt.Fprintf(w, "%s; try again, \"skip\" or \"quit\"\n", expected)
						continue
					}
					fmt.Fprintf(w, "%s: could not read %q (%s); the answer is %s\n", paint("wrong", "31"), a, expected, q.AnswerText())
				} else if right {
					fmt.Fprintf(w, "%s: %s\n", paint("right", "32"), q.AnswerText())
				} else {
					fmt.Fprintf(w, "%s: the answer is %s\n", paint("wrong", "31"), q.AnswerText())
				}
			}
			asked++
			if right {
				score++
			} else {
				for _, s := range q.Steps {
					fmt.Fprintf(w, "  %s\n", s)
				}
			}
			break
		}
	}
	fmt.Fprintln(w)
	if stopped && asked < len(qs) {
		fmt.Fprintf(w, "stopped after %d of %d questions\n", asked, len(qs))
	}
	fmt.Fprintf(w, "score: %d/%d\n", score, asked)
	flush()
	return exitOK
}
