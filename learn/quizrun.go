package learn

import (
	"fmt"
	"io"
	"strings"

	"github.com/ddbsim/ddbsim/calc"
)

// Quiz is one sitting of the quiz: its questions, where the answers come
// from, and how the sitting is shown. ddbsim quiz makes one from its
// flags and the terminal; Run asks the questions.
type Quiz struct {
	Questions []Question
	Seed      uint64
	// Next returns the next answer; false at the end of the answers.
	Next func() (string, bool)
	// Echo shows each answer after its prompt (a terminal has already
	// shown what was typed).
	Echo bool
	// Scripted answers come from a list: an empty or unreadable answer
	// is then wrong rather than asked again.
	Scripted bool
	// Paint colours a word with an ANSI code ("32" green); nil for none.
	Paint func(s, code string) string
}

// Run asks every question on w, checks each answer with the calculator
// and explains a wrong one with its steps, and ends with the score. An
// answer of "quit" (or the end of the answers) stops early, and the score
// counts what was answered.
func (z *Quiz) Run(w io.Writer) (score, asked int) {
	qs, next, echo, scripted, paint := z.Questions, z.Next, z.Echo, z.Scripted, z.Paint
	if paint == nil {
		paint = func(s, _ string) string { return s }
	}
	flush := func() {
		if f, ok := w.(interface{ Flush() error }); ok {
			f.Flush()
		}
	}

	fmt.Fprintf(w, "ddbsim quiz: %d question%s, seed %d. Answer with a number (a unit may follow) or a letter;\n",
		len(qs), calc.Plural(len(qs)), z.Seed)
	fmt.Fprintf(w, "\"skip\" shows the working, \"quit\" or end of input stops.\n")
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
	return score, asked
}
