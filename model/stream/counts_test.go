package stream

import (
	"testing"

	"github.com/ddbsim/ddbsim/model/store"
	"github.com/ddbsim/ddbsim/sim"
)

// AppendN of n changes leaves a shard, and the consumers reading it,
// exactly as n calls of Append in the same second do: the same runs and
// the same batches, GetRecords calls and iterator ages.
func TestAppendNIsNAppends(t *testing.T) {
	const end = 20 * sim.Second
	for _, kind := range []ConsumerKind{ConsumerLambda, ConsumerClient} {
		cfg := Config{View: NewAndOldImages, Consumers: []ConsumerConfig{{Name: "c", Kind: kind, BatchSize: 100,
			ProcessingTime: 700 * sim.Millisecond}}}
		key := []byte("k12345")
		c := store.Change{Key: key, PKHash: store.HashKey(key), Kind: store.ChangeModify, OldSize: 900, NewSize: 1100}
		one := New(cfg, 1, true, onePartition{}, nil)
		counts := New(cfg, 1, true, onePartition{}, nil)
		// 150 records a second for 5 s, then 40 a second.
		for sec := range 10 {
			n := 150
			if sec >= 5 {
				n = 40
			}
			at := sim.Time(sec) * sim.Second
			for range n {
				one.Append(at, &c)
			}
			counts.AppendN(at, 0, int64(n), &c)
		}
		for _, st := range []*Log{one, counts} {
			k := sim.New(1)
			st.Start(k, end)
			k.Run(end)
		}
		if h1, r1 := one.ShardRuns(0); true {
			if h2, r2 := counts.ShardRuns(0); h1 != h2 || r1 != r2 || one.shards[0].runs[0] != counts.shards[0].runs[0] {
				t.Errorf("%v: runs %d (ring %d) by Append, %d (ring %d) by AppendN", kind, h1, r1, h2, r2)
			}
		}
		a, b := one.Sample(end)[0], counts.Sample(end)[0]
		if a != b {
			t.Errorf("%v: by Append %+v, by AppendN %+v", kind, a, b)
		}
	}
}
