package workload_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/ddbsim/ddbsim/sim"
	"github.com/ddbsim/ddbsim/workload"
)

// A ramp from 0 to 4 requests/s over 2 s, then 4/s until 2.5 s. Constant
// arrivals come where the cumulative intensity Λ(t) reaches 1, 2, 3, ...:
// on the ramp Λ(t) = t², so at 1 s, √2 s, √3 s and 2 s, then every 250 ms.
// An arrival falling on the end (2.5 s) is not one.
func ExampleArrivals() {
	p, err := workload.NewProfile(0, []workload.Stage{{For: 2 * sim.Second, Rate: 4}}, 2500*sim.Millisecond)
	if err != nil {
		panic(err)
	}
	fmt.Printf("expected %.2f\n", p.Expected())
	a := workload.NewArrivals(p, false, nil) // constant arrivals draw nothing
	for at, ok := a.Next(); ok; at, ok = a.Next() {
		fmt.Println(at)
	}
	// Output:
	// expected 6.00
	// 1s
	// 1.414213562s
	// 1.732050808s
	// 2s
	// 2.25s
}

// YCSB's skew: with 10 keys and exponent 0.99 the hottest key takes about
// a third of the requests (exactly 1/H(10, 0.99) = 0.3383) and the
// coldest about 3.5% (0.0346).
func ExampleNewZipf() {
	z := workload.NewZipf(10, 0.99)
	r := rand.New(rand.NewPCG(1, 1))
	var counts [10]int
	for range 100_000 {
		counts[z.Next(r, 0)]++
	}
	for k, c := range counts {
		fmt.Printf("key %d: %.3f\n", k, float64(c)/100_000)
	}
	// Output:
	// key 0: 0.338
	// key 1: 0.169
	// key 2: 0.114
	// key 3: 0.086
	// key 4: 0.069
	// key 5: 0.058
	// key 6: 0.049
	// key 7: 0.043
	// key 8: 0.039
	// key 9: 0.035
}
