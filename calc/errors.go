package calc

import "fmt"

// InputError is bad input: a message for standard error, exit status 2.
type InputError struct{ msg string }

func (e *InputError) Error() string { return e.msg }

// Errorf makes an InputError.
func Errorf(format string, args ...any) error {
	return &InputError{fmt.Sprintf(format, args...)}
}
