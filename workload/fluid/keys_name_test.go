package fluid

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/ddbsim/ddbsim/sim"
	"github.com/ddbsim/ddbsim/workload"
)

// everyOther is a key chooser the aggregate driver has no model of.
type everyOther struct{}

func (everyOther) Next(r *rand.Rand, now sim.Time) int64 { return 0 }

type namedEveryOther struct{ everyOther }

func (namedEveryOther) Distribution() string { return "every-other" }

// TestUnsupportedKeysAreNamedAsAScenarioWouldBe: the message names the
// distribution, never a Go type ("keys chosen by *workload.Latest").
func TestUnsupportedKeysAreNamedAsAScenarioWouldBe(t *testing.T) {
	for _, tc := range []struct {
		kc   workload.KeyChooser
		want string
	}{
		{everyOther{}, "keys chosen by a key distribution no scenario names are not supported by --fidelity aggregate"},
		{namedEveryOther{}, "keys chosen by distribution: every-other are not supported by --fidelity aggregate"},
	} {
		_, err := keyModelOf(tc.kc)
		if err == nil || err.Error() != tc.want || !errors.Is(err, ErrUnsupported) {
			t.Errorf("%T: got %v, want %s", tc.kc, err, tc.want)
		}
		if err != nil && strings.ContainsAny(err.Error(), "*") {
			t.Errorf("the message names a Go type: %v", err)
		}
	}
}
