package fluid

import (
	"fmt"
	"math"
	"strconv"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/store"
	"github.com/ddbsim/ddbsim/sim"
	"github.com/ddbsim/ddbsim/workload"
)

// keyModel is a key chooser's distribution, as the aggregate driver needs
// it: the weights of its most popular keys, listed, and the rest.
type keyModel struct {
	kind   int // keyUniform, keyZipf, keyHotspot
	count  int64
	s      float64 // workload.Zipf exponent
	zipf   *workload.Zipf
	hot    int64
	hotOps float64
	rot    *workload.Rotating
	// latest is the keyspace of YCSB's latest distribution: rank r is
	// then key Size()-1-r, the newest the most popular, and count
	// follows the keyspace as it grows.
	latest *workload.Keyspace
	// order, rankCum and keyCum are a tabled distribution's (YCSB's
	// zipfian: scrambledModel): the key of each rank, heaviest first,
	// and the running sums of the weights by rank and by key.
	order           []int64
	rankCum, keyCum []float64
}

const (
	keyUniform = iota
	keyZipf
	keyHotspot
	keyTabled
)

func keyModelOf(kc workload.KeyChooser) (keyModel, error) {
	switch c := kc.(type) {
	case workload.Uniform:
		return keyModel{kind: keyUniform, count: c.Count}, nil
	case *workload.Uniform:
		return keyModel{kind: keyUniform, count: c.Count}, nil
	case *workload.Zipf:
		return keyModel{kind: keyZipf, count: c.Keys(), s: c.Exponent(), zipf: c}, nil
	case workload.Hotspot:
		return keyModel{kind: keyHotspot, count: c.Count, hot: c.Hot, hotOps: c.HotOps}, nil
	case *workload.Hotspot:
		return keyModel{kind: keyHotspot, count: c.Count, hot: c.Hot, hotOps: c.HotOps}, nil
	case *workload.Sequential:
		// Over a tick a walk visits keys in order; over the run each as
		// often as the others.
		return keyModel{kind: keyUniform, count: c.Keys()}, nil
	case *workload.Latest:
		ks := c.Keyspace()
		// A Zipf of the same exponent only for its integral, which does
		// not depend on the count.
		return keyModel{kind: keyZipf, count: ks.Size(), s: c.Exponent(), zipf: workload.NewZipf(1, c.Exponent()),
			latest: ks}, nil
	case *workload.SkewedLatest:
		// YCSB's latest: Gray's approximation of a Zipf(0.99) over
		// recency, weighed as the exact law (the two differ by under a
		// point on any rank's share).
		ks := c.Keyspace()
		return keyModel{kind: keyZipf, count: ks.Size(), s: c.Exponent(), zipf: workload.NewZipf(1, c.Exponent()),
			latest: ks}, nil
	case *workload.ScrambledZipfian:
		return scrambledModel(c)
	case *workload.Rotating:
		m, err := keyModelOf(c.Ranks())
		if err != nil {
			return m, err
		}
		m.rot = c
		return m, nil
	case nil:
		return keyModel{}, fmt.Errorf("a workload without keys is %w", ErrUnsupported)
	}
	return keyModel{}, fmt.Errorf("keys chosen by %s are %w", keysName(kc), ErrUnsupported)
}

// keysName names the distribution of kc's keys in a message as a scenario
// writes it (keys: {distribution: NAME}) when kc says (a Distribution
// method), and never by its Go type: the distributions a scenario can
// name all have a model above, so what reaches here was built in Go.
func keysName(kc workload.KeyChooser) string {
	if n, ok := kc.(interface{ Distribution() string }); ok {
		return "distribution: " + n.Distribution()
	}
	return "a key distribution no scenario names"
}

// weight is the unnormalised weight of the key of rank r.
func (m *keyModel) weight(r int64) float64 {
	switch m.kind {
	case keyTabled:
		return m.rankCum[r+1] - m.rankCum[r]
	case keyZipf:
		return math.Exp(-m.s * math.Log(float64(r+1)))
	case keyHotspot:
		cold := m.count - m.hot
		if cold <= 0 || m.hotOps >= 1 {
			if r < m.hot {
				return 1 / float64(m.hot)
			}
			return 0
		}
		if r < m.hot {
			return m.hotOps / float64(m.hot)
		}
		return (1 - m.hotOps) / float64(cold)
	}
	return 1 / float64(m.count)
}

// between is the total weight of ranks [a, b).
func (m *keyModel) between(a, b int64) float64 {
	a, b = max(a, 0), min(b, m.count)
	if a >= b {
		return 0
	}
	switch m.kind {
	case keyTabled:
		return m.rankCum[b] - m.rankCum[a]
	case keyZipf:
		// The first ranks one by one, the rest as the integral of x^-s
		// over [r+0.5, b+0.5] (rank r holds (r+1)^-s).
		w := 0.0
		r := a
		for ; r < b && r < a+4096; r++ {
			w += m.weight(r)
		}
		if r < b {
			w += m.zipf.Integral(float64(b)+0.5) - m.zipf.Integral(float64(r)+0.5)
		}
		return w
	case keyHotspot:
		hot := min(b, m.hot) - min(a, m.hot)
		cold := (b - a) - hot
		return float64(hot)*m.weight(0) + float64(cold)*m.weight(m.hot)
	}
	return float64(b-a) / float64(m.count)
}

// below is the share of the traffic to keys with index under n.
func (m *keyModel) below(n int64) float64 {
	total := m.between(0, m.count)
	if total <= 0 || n <= 0 {
		return 0
	}
	if n >= m.count {
		return 1
	}
	if m.kind == keyTabled {
		return m.keyCum[n] / total
	}
	// Rotation moves ranks over keys; over its epochs every key takes
	// every rank, so the share is that of any n keys: taken as the first.
	return m.between(0, n) / total
}

// popularity lists the most popular keys (as the workload names them,
// sharded and rotated) with their weights, and the rest as spread.
func (m *keyModel) popularity(cfg workload.Config, now sim.Time) model.Popularity {
	shards := int64(max(cfg.Shards, 1))
	listed := min(m.count, maxListedKeys/shards)
	if m.kind == keyUniform && m.count*shards > maxListedKeys {
		listed = 0 // all alike: spread
	}
	if m.kind == keyHotspot && listed < m.count && m.hot*shards > maxListedKeys {
		listed = 0
	}
	pop := model.Popularity{Keys: make([]model.KeyWeight, 0, listed*shards)}
	var off int64
	if m.rot != nil {
		off = m.rot.Offset(now)
	}
	var buf []byte
	for r := range listed {
		k := r + off
		if k >= m.count {
			k -= m.count
		}
		if m.latest != nil {
			k = m.count - 1 - r
		}
		if m.order != nil {
			k = m.order[r]
		}
		w := m.weight(r) / float64(shards)
		buf = store.AppendSyntheticKey(buf[:0], k)
		if shards == 1 {
			pop.Keys = append(pop.Keys, model.KeyWeight{Hash: store.HashKey(buf), Weight: w})
			continue
		}
		base := len(buf)
		for sh := range shards {
			buf = strconv.AppendInt(append(buf[:base], '#'), sh, 10)
			pop.Keys = append(pop.Keys, model.KeyWeight{Hash: store.HashKey(buf), Weight: w})
		}
	}
	pop.Spread = m.between(listed, m.count)
	return pop
}
