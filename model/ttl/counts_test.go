package ttl

import (
	"math"
	"math/rand/v2"
	"sort"
	"testing"

	"github.com/ddbsim/ddbsim/sim"
)

// The loaded items' deletions over a run shorter than the TTL: items
// expiring evenly over the TTL, each deleted a uniform wait within W
// later, so a share (until - W/2)/TTL of them by until.
func TestExpiriesOfLoadedItems(t *testing.T) {
	const n = 400000.0
	ttl, within, until := 2*sim.Hour, 5*sim.Minute, 15*sim.Minute
	e := NewExpiries(Config{ExpireAfter: ttl}, within, sim.Second, until)
	e.AddGroup(n / 4)
	e.AddGroup(3 * n / 4)
	var got float64
	for now := sim.Time(0); now < until; now += sim.Second {
		l, w := e.Due(now)
		if w != 0 {
			t.Fatalf("%v: %v written items deleted, none written", now, w)
		}
		got += l
	}
	want := n * (until - within/2).Seconds() / ttl.Seconds()
	if math.Abs(got-want) > 1e-6*want {
		t.Errorf("%.1f loaded items deleted, want %.1f", got, want)
	}
}

// Counts follow items written as Poisson streams: a Monte Carlo of the
// sweeper's rules, item by item, deletes what the counts expect, to
// within 2%, both of the loaded items and of those written in the run,
// at write rates that rewrite an item well within its TTL and rarely.
func TestExpiriesFollowPoissonWrites(t *testing.T) {
	ttl, within, until := 60*sim.Second, 20*sim.Second, 300*sim.Second
	for _, rate := range []float64{0.002, 0.01, 0.05} { // writes an item a second
		const items = 20000
		e := NewExpiries(Config{ExpireAfter: ttl}, within, sim.Second, until)
		g := e.AddGroup(items)
		var loaded, written float64
		for now := sim.Time(0); now < until; now += sim.Second {
			e.Survive(g, math.Exp(-rate))
			l, w := e.Due(now)
			loaded += l
			written += w
			e.Written(g, now, rate*items)
		}
		r := rand.New(rand.NewPCG(1, uint64(rate*1e6)))
		var mcLoaded, mcWritten float64
		for p := range items {
			at := sim.Time(float64(p) / items * float64(ttl))
			due := at + sim.Time(r.Float64()*float64(within))
			fromLoad := true
			var writes []float64
			for w := r.ExpFloat64() / rate; w < until.Seconds(); w += r.ExpFloat64() / rate {
				writes = append(writes, w)
			}
			sort.Float64s(writes)
			for _, w := range writes {
				wt := sim.Time(w * float64(sim.Second))
				if due <= wt {
					if fromLoad {
						mcLoaded++
					} else {
						mcWritten++
					}
				}
				due = wt + ttl + sim.Time(r.Float64()*float64(within))
				fromLoad = false
			}
			if due < until {
				if fromLoad {
					mcLoaded++
				} else {
					mcWritten++
				}
			}
		}
		for _, c := range []struct {
			what      string
			got, want float64
		}{{"loaded", loaded, mcLoaded}, {"written", written, mcWritten}} {
			if math.Abs(c.got-c.want) > 0.02*c.want+3*math.Sqrt(c.want) {
				t.Errorf("rate %v: %s items deleted %.0f by counts, %.0f item by item", rate, c.what, c.got, c.want)
			}
		}
		t.Logf("rate %v: loaded %.0f / %.0f, written %.0f / %.0f (counts / item by item)", rate, loaded, mcLoaded, written, mcWritten)
	}
}

// A group whose items are all written every tick folds its scale and
// keeps no deletion pending.
func TestExpiriesFoldAHotGroup(t *testing.T) {
	e := NewExpiries(Config{ExpireAfter: 10 * sim.Second}, 5*sim.Second, sim.Second, 100*sim.Second)
	g := e.AddGroup(10)
	for now := sim.Time(0); now < 100*sim.Second; now += sim.Second {
		e.Survive(g, math.Exp(-50))
		l, w := e.Due(now)
		if now > 20*sim.Second && l+w > 1e-9 {
			t.Fatalf("%v: %v deletions of items written 50 times a second", now, l+w)
		}
		e.Written(g, now, 500)
	}
}
