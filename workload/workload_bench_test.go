package workload

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/ddbsim/ddbsim/model/store"
)

// benchSink keeps the benchmarks' results alive past the compiler.
var benchSink uint64

// BenchmarkZipf measures key choice as the default scenario makes it: a
// Zipf draw (exponent 0.99) over 100k keys, and over 1M. The "named"
// variants also name the key (store.AppendSyntheticKey) and hash it, as
// a request's partition key is formed and located. One op is one key.
func BenchmarkZipf(b *testing.B) {
	for _, count := range []int64{100_000, 1_000_000} {
		for _, named := range []bool{false, true} {
			name := fmt.Sprintf("keys=%d", count)
			if named {
				name += "/named"
			}
			b.Run(name, func(b *testing.B) {
				z := NewZipf(count, 0.99)
				r := rand.New(rand.NewPCG(1, 2))
				key := make([]byte, 0, 32)
				var sink uint64
				b.ReportAllocs()
				for b.Loop() {
					k := z.Next(r, 0)
					if named {
						key = store.AppendSyntheticKey(key[:0], k)
						sink += store.HashKey(key)
					} else {
						sink += uint64(k)
					}
				}
				benchSink = sink
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "keys/s")
			})
		}
	}
}
