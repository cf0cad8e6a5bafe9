package expr

import (
	"errors"
	"math/big"
	"strings"

	"github.com/ddbsim/ddbsim/model/store"
)

// errOverflow is the service's answer to arithmetic whose result is out
// of the Number range.
var errOverflow = errorf("Number overflow. Attempting to store a number with magnitude larger than supported range")

// errUnderflow is the service's answer to arithmetic whose nonzero
// result is smaller than 1e-130.
var errUnderflow = errorf("Number underflow. Attempting to store a number with magnitude smaller than supported range")

// errPrecision is the service's answer to arithmetic whose result needs
// more than 38 significant digits.
var errPrecision = errorf("Attempting to store more than 38 significant digits in a Number")

// decimal splits canonical Number text into an integer mantissa and the
// count of digits after the point: "-12.5" is (-125, 1).
func decimal(text string) (*big.Int, int) {
	scale := 0
	if i := strings.IndexByte(text, '.'); i >= 0 {
		scale = len(text) - i - 1
		text = text[:i] + text[i+1:]
	}
	m, ok := new(big.Int).SetString(text, 10)
	if !ok {
		m = new(big.Int)
	}
	return m, scale
}

// addNumbers returns a+b (or a-b) exactly, then checks the result against
// the Number limits. The operands hold at most 38 digits each between
// 1e-130 and 1e126, so the exact sum has at most about 260 digits.
func addNumbers(a, b store.Value, subtract bool) (store.Value, error) {
	ma, sa := decimal(a.Text())
	mb, sb := decimal(b.Text())
	scale := max(sa, sb)
	ten := big.NewInt(10)
	ma.Mul(ma, new(big.Int).Exp(ten, big.NewInt(int64(scale-sa)), nil))
	mb.Mul(mb, new(big.Int).Exp(ten, big.NewInt(int64(scale-sb)), nil))
	if subtract {
		ma.Sub(ma, mb)
	} else {
		ma.Add(ma, mb)
	}
	text := ma.String()
	neg := strings.HasPrefix(text, "-")
	text = strings.TrimPrefix(text, "-")
	if scale > 0 {
		if len(text) <= scale {
			text = strings.Repeat("0", scale-len(text)+1) + text
		}
		text = text[:len(text)-scale] + "." + text[len(text)-scale:]
	}
	if neg {
		text = "-" + text
	}
	v, err := store.ParseNumber(text)
	switch {
	case err == nil:
		return v, nil
	case errors.Is(err, store.ErrNumberPrecision):
		return store.Value{}, errPrecision
	case errors.Is(err, store.ErrNumberUnderflow):
		return store.Value{}, errUnderflow
	}
	return store.Value{}, errOverflow
}
