package fluid

import (
	"fmt"
	"slices"

	"github.com/ddbsim/ddbsim/workload"
)

// scrambledHeadItems is how many of YCSB's zipfian's 10^10 items the
// aggregate driver places one by one: the first 2^20 hold about 58% of
// the draws; the rest, hashed over the keys, fall on them about evenly.
const scrambledHeadItems = 1 << 20

// maxTabledKeys bounds the keys a tabled distribution weighs one by one
// (16 bytes a key); a larger keyspace runs per request.
const maxTabledKeys = 1 << 22

// scrambledModel is YCSB's zipfian (workload.ScrambledZipfian) as the
// aggregate driver sees it: each existing key's weight, the share of the
// first scrambledHeadItems items hashed onto it plus an even share of the
// remaining items, the keys then ordered by weight so that rank r is
// order[r]. Draws past the keys that exist are drawn again in YCSB, which
// the weights, normalised over the existing keys, say; keys inserted
// during the run are not weighed (they are drawn per request).
func scrambledModel(c *workload.ScrambledZipfian) (keyModel, error) {
	n := c.Items() - 1 - c.ExpectedNew()
	if ks := c.Keyspace(); ks != nil {
		n = min(ks.Size(), n)
	}
	if n > maxTabledKeys {
		return keyModel{}, fmt.Errorf("YCSB's zipfian over %d keys (more than %d) is %w", n, maxTabledKeys, ErrUnsupported)
	}
	byKey := make([]float64, n)
	head := 0.0
	c.HottestItems(scrambledHeadItems, func(k int64, p float64) {
		head += p
		if k < n {
			byKey[k] += p
		}
	})
	tail := (1 - head) / float64(c.Items())
	for k := range byKey {
		byKey[k] += tail
	}
	order := make([]int64, n)
	for k := range order {
		order[k] = int64(k)
	}
	slices.SortStableFunc(order, func(a, b int64) int {
		switch {
		case byKey[a] > byKey[b]:
			return -1
		case byKey[a] < byKey[b]:
			return 1
		}
		return 0
	})
	m := keyModel{kind: keyTabled, count: n, order: order,
		rankCum: make([]float64, n+1), keyCum: make([]float64, n+1)}
	for r, k := range order {
		m.rankCum[r+1] = m.rankCum[r] + byKey[k]
	}
	for k, w := range byKey {
		m.keyCum[k+1] = m.keyCum[k] + w
	}
	return m, nil
}
