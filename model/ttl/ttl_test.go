package ttl

import "testing"

// Keys that are not synthetic are kept as strings, and synthetic-looking
// keys that are not canonical ("k01") are not confused with "k1".
func TestSyntheticNumber(t *testing.T) {
	for _, tc := range []struct {
		key string
		num int64
	}{{"k0", 0}, {"k1", 1}, {"k42", 42}, {"k01", -1}, {"k", -1}, {"x1", -1}, {"k1a", -1}} {
		if got := syntheticNumber([]byte(tc.key)); got != tc.num {
			t.Errorf("syntheticNumber(%q) = %d, want %d", tc.key, got, tc.num)
		}
	}
}
