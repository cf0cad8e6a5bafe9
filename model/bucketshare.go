package model

import (
	"math"
	"slices"
)

// How interleaved requests share an overloaded token bucket: the
// stationary balance of a bucket fed at a constant rate r and met by
// Poisson arrivals of several prices, each request taking its price when
// the balance holds it and refused when it does not (CanTake, Take).
//
// Between arrivals the balance X climbs at r; a request of price c that
// finds X >= c drops it by c. In the long run X crosses each level x as
// often upwards as downwards (level crossing, as for the workload of an
// M/G/1 queue: Brill, "Level Crossing Methods in Stochastic Models",
// 2008), so its density f and survival S(x) = P(X >= x) satisfy
//
//	r f(x) = sum over prices i of mu_i P(max(x, c_i) <= X < x + c_i)
//	       = sum_i mu_i [S(max(x, c_i)) - S(x + c_i)],
//
// mu_i being the rate at which requests of price c_i that find room take
// it. Above the dearest price the solution is exponential,
// S(x) = S(c_max) e^(-theta (x - c_max)) with r theta = sum_i mu_i
// (1 - e^(-theta c_i)), which has one positive root exactly when the
// bucket is overloaded (sum_i mu_i c_i > r). Below it the equation
// gives S at x from S at points above x, so it is integrated downwards
// from c_max to 0. A request of price c_i arriving at random finds room
// in the share S(c_i)/S(0) of its arrivals (Poisson arrivals see time
// averages). For one price that is r/(mu c): the bucket admits exactly
// its refill. Cheaper requests find room more often, since the balance
// climbs past their price first, and with a cheap flow taking little
// at a time a dear one may wait long for a climb to its price.
//
// The bucket's capacity is taken as far above the prices, which is what
// an overloaded bucket's balance keeps to: its tail above c_max falls by
// e^-1 every 1/theta units. A bucket barely overloaded spreads further
// (1/theta grows without bound as the load nears the refill); its
// shares are then those of an unbounded bucket, all near 1, and what
// the claims take is still held to what the bucket holds (divideBucket).

// priceClass is the requests of one price meeting a bucket over a tick.
type priceClass struct {
	price  float64 // units each
	arrive float64 // requests arriving in the tick
	cap    float64 // the most of them the limits after the bucket pass
	charge float64 // mu: of those finding room, the rate that take it
	pass   float64 // the share of arrivals finding the balance at price
	out    bool    // left out of the balance: it finds room next to never

	// settleCharges' last step for this class: its charge and what it
	// took at it (charge x pass), for the secant to the cap.
	lastCharge, lastTake float64
}

// bucketShares is divideBucket's scratch, kept by the service.
type bucketShares struct {
	classes []priceClass
	xs      []float64 // the integration grid over [0, c_max], ascending
	surv    []float64 // S at each node of xs, unnormalized
	pass    []float64 // each class's pass, as passShares returns them
	decay   []float64 // e^(-theta x) at each node of xs
	act     []activeClass
}

// gridCells bounds the cells of the integration grid; gridPerScale is
// how many cells it takes for the shortest length the balance varies on
// (the cheapest price, the tail's 1/theta, or the refill between two
// arrivals). With 8 a cell the shares are within 1e-3 of the exact ones
// for one price (TestStationaryPassOnePrice), and well within the
// sampling noise of a tick of requests.
const (
	gridCells    = 4096
	gridPerScale = 8
)

// settleCharges sets each class's pass, the share of its arrivals that
// find room in a bucket fed with refill units over the tick, and its
// charge. A class takes room at its arrival rate unless the limits after
// the bucket pass fewer than find it (cap), when only the rate the cap
// allows takes it: the others, refused later, leave the balance as it
// was. Those rates depend on the shares and the shares on the rates; the
// rates are found by iterating from the caps upwards, which only raises
// them and so settles on the least rates that agree with their shares.
// The classes must overload the bucket at their caps (sum of cap x price
// above refill).
//
// The shares returned always agree with the charges they were solved
// for: no class finds room for more than its charge takes, so what the
// classes take, min(arrive x pass, cap) x price summed, is at most the
// refill. A class whose cap asks for more than the bucket can leave it
// (a dear write beside cheap reads that take most of the refill first)
// has no rate at which its take meets its cap: its rate climbs to its
// arrivals, by a factor of cap over take a step, too slowly for the
// plain iteration when that factor is near 1. The step is therefore the
// larger of the plain one and the secant through the class's last two
// (charge, take) points, which reaches a cap's rate, or the arrivals,
// in a few steps; a step past the least rates only lowers the shares.
// Should the rates still not settle, every class is taken at its
// arrivals, where the shares agree with the charges by construction.
func (bs *bucketShares) settleCharges(refill float64) {
	cls := bs.classes
	for i := range cls {
		cls[i].charge = min(cls[i].cap, cls[i].arrive)
		cls[i].lastCharge, cls[i].lastTake = 0, 0
	}
	for range settleSteps {
		bs.stationaryPass(refill)
		moved := false
		for i := range cls {
			c := &cls[i]
			next := c.arrive
			if c.pass > 0 && c.cap < c.arrive*c.pass {
				next = c.cap / c.pass
				take := c.charge * c.pass
				if c.lastCharge > 0 && c.charge > c.lastCharge {
					// A take that no longer grows with the rate never
					// meets the cap: the rate goes to the arrivals.
					step := c.arrive
					if take > c.lastTake {
						step = c.charge + (c.cap-take)*(c.charge-c.lastCharge)/(take-c.lastTake)
					}
					next = max(next, min(c.arrive, step))
				}
				c.lastCharge, c.lastTake = c.charge, take
			}
			if next > c.charge*(1+1e-9) {
				moved = true
			}
			c.charge = max(c.charge, next)
		}
		if !moved {
			return
		}
	}
	for i := range cls {
		cls[i].charge = cls[i].arrive
	}
	bs.stationaryPass(refill)
}

// settleSteps bounds settleCharges' iteration.
const settleSteps = 60

// stationaryPass sets each class's pass from the stationary balance of a
// bucket fed at rate r that the classes' charges overload (see the top
// of this file). It returns what the classes would take, as a multiple
// of r, before the grid's error is taken out: 1 when exact.
//
// A price the balance almost never reaches (found in the share 1e-9 of
// arrivals or less: a 400 KB write beside a hot key's reads) takes
// almost nothing, and the balance is solved again without it, on a grid
// that then need only span the prices that matter.
func (bs *bucketShares) stationaryPass(r float64) float64 {
	cls := bs.classes
	load := 0.0
	for i := range cls {
		cls[i].out = false
		load += cls[i].charge * cls[i].price
	}
	if r <= 0 || load <= r {
		for i := range cls {
			cls[i].pass = 0
			if r > 0 { // not overloaded: a balance that is never short
				cls[i].pass = 1
			}
		}
		return 1
	}
	for {
		bs.solveBalance(r)
		dearest, in := -1, 0
		for i, c := range cls {
			if !c.out {
				in++
				if dearest < 0 || c.price > cls[dearest].price {
					dearest = i
				}
			}
		}
		if in == 1 || cls[dearest].pass > 1e-9 || load-cls[dearest].charge*cls[dearest].price <= r {
			break
		}
		cls[dearest].out = true
		load -= cls[dearest].charge * cls[dearest].price
	}
	taken := 0.0
	for _, c := range cls {
		taken += c.charge * c.price * c.pass
	}
	// The stationary bucket takes exactly its refill; the grid's error
	// (within 1% however far apart the prices are, far less where they
	// are alike: TestStationaryPassKeepsTheRefill) is taken out so that
	// a bucket never gives more than it holds.
	for i := range cls {
		if taken > 0 {
			cls[i].pass = min(cls[i].pass*r/taken, 1)
		}
	}
	return taken / r
}

// solveBalance integrates the level-crossing equation of the classes not
// out over a grid and sets their pass; those out pass never.
func (bs *bucketShares) solveBalance(r float64) {
	cls := bs.classes
	var cMin, cMax, mu float64
	cMin = math.Inf(1)
	for _, c := range cls {
		if !c.out {
			cMin, cMax = min(cMin, c.price), max(cMax, c.price)
			mu += c.charge
		}
	}
	theta := tailRate(r, cls)
	scale := min(cMin, 1/theta, r/mu)
	cells := int(math.Ceil(gridPerScale * cMax / scale))
	cells = min(max(cells, 16), gridCells)
	bs.gridOver(cMax, cells)
	xs := bs.xs
	top := len(xs) - 1
	s := bs.surv
	// Above the grid S is the exponential tail: S(x + c) there is
	// tail e^(-theta x) e^(-theta (c - c_max)), the first factor kept
	// for each node. S grows going down, by as much as e^700 from a dear
	// price to 0 under a cheap flow's overload: the values known are
	// scaled down when they grow large (the equation is linear, so the
	// shares are unchanged), the tail with them.
	tail := 1 / theta
	bs.decay = slices.Grow(bs.decay[:0], len(xs))[:len(xs)]
	for j, x := range xs {
		bs.decay[j] = math.Exp(-theta * x)
	}
	bs.act = bs.act[:0]
	for _, c := range cls {
		if !c.out {
			node, _ := slices.BinarySearch(xs, c.price)
			bs.act = append(bs.act, activeClass{price: c.price, charge: c.charge,
				beyond: math.Exp(-theta * (c.price - cMax)), node: node, next: top})
		}
	}
	act := bs.act
	s[top] = tail
	// inflow is B(x) = sum_i mu_i S(x + c_i) - sum_{c_i > x} mu_i S(c_i)
	// at x = xs[j], S known from node j+1 up (a point x + c_i below it,
	// when c_i is shorter than a cell, is taken at it). Each class's
	// next is the first node at or above its x + c_i, which only falls
	// as j does.
	inflow := func(j int) float64 {
		x := xs[j]
		b := 0.0
		for i := range act {
			c := &act[i]
			at := x + c.price
			if at >= cMax {
				b += c.charge * tail * bs.decay[j] * c.beyond
			} else {
				at = max(at, xs[j+1])
				for c.next > j+1 && xs[c.next-1] >= at {
					c.next--
				}
				k := c.next
				if xs[k] == at {
					b += c.charge * s[k]
				} else {
					w := (at - xs[k-1]) / (xs[k] - xs[k-1])
					b += c.charge * (s[k-1] + w*(s[k]-s[k-1]))
				}
			}
			if c.price > x {
				b -= c.charge * s[c.node]
			}
		}
		return b
	}
	// B at the top node, no price above it.
	upper := 0.0
	for _, c := range act {
		upper += c.charge * tail * bs.decay[top] * c.beyond
	}
	for j := top - 1; j >= 0; j-- {
		// Over the cell [xs[j], xs[j+1]] the classes at or below its
		// bottom take room (the prices are nodes, so none changes inside
		// it): -r S'(x) = A S(x) - B(x), B taken as its mean over the
		// cell, integrated exactly downwards. B at the top is the last
		// cell's B at its bottom, less the prices at that node, which
		// take room above it but not in this cell.
		w := xs[j+1] - xs[j]
		a := 0.0
		for _, c := range act {
			if c.price <= xs[j] {
				a += c.charge
			}
			if c.node == j+1 {
				upper -= c.charge * s[j+1]
			}
		}
		lower := inflow(j)
		b := cellMean(lower, upper)
		if a == 0 {
			s[j] = s[j+1] - w*b/r
		} else {
			eq := b / a
			s[j] = eq + (s[j+1]-eq)*math.Exp(a*w/r)
		}
		upper = lower
		if s[j] > 1e200 {
			for k := j; k <= top; k++ {
				s[k] *= 1e-200
			}
			tail *= 1e-200
			upper *= 1e-200
		}
	}
	for i := range cls {
		cls[i].pass = 0
	}
	k := 0
	for i := range cls {
		if !cls[i].out {
			if p := s[act[k].node] / s[0]; p > 0 && !math.IsNaN(p) {
				cls[i].pass = p
			}
			k++
		}
	}
}

// activeClass is a class in solveBalance's integration.
type activeClass struct {
	price, charge float64
	beyond        float64 // e^(-theta (price - c_max)), for the tail
	node          int     // the grid node at price
	next          int     // the node inflow last found at or above x + price
}

// cellMean is the mean over a cell of a quantity that is lo at its
// bottom and hi at its top, taken to vary exponentially between (as S
// does) when both have one sign, else linearly.
func cellMean(lo, hi float64) float64 {
	if lo*hi <= 0 || lo == hi {
		return (lo + hi) / 2
	}
	ratio := hi / lo
	if math.Abs(ratio-1) < 1e-2 { // within 1e-5 of the exponential's mean
		return (lo + hi) / 2
	}
	return (hi - lo) / math.Log(ratio)
}

// tailRate is theta, the positive root of r theta = sum_i mu_i
// (1 - e^(-theta c_i)) for classes overloading a bucket fed at r: the
// left side is a line through 0, the right concave from 0 with a slope
// above r, so they meet once more, below sum_i mu_i / r.
func tailRate(r float64, cls []priceClass) float64 {
	mu := 0.0
	for _, c := range cls {
		if !c.out {
			mu += c.charge
		}
	}
	lo, hi := 0.0, mu/r
	for range 100 {
		mid := (lo + hi) / 2
		take := 0.0
		for _, c := range cls {
			if !c.out {
				take += c.charge * -math.Expm1(-mid*c.price)
			}
		}
		if take > r*mid {
			lo = mid
		} else {
			hi = mid
		}
	}
	return (lo + hi) / 2
}

// gridOver lays the nodes of the integration grid over [0, top]: every
// price is a node, so that which prices take room is constant in a cell,
// and the gaps between are cut into cells of at most top/cells.
func (bs *bucketShares) gridOver(top float64, cells int) {
	xs := append(bs.xs[:0], 0)
	for _, c := range bs.classes {
		if !c.out {
			xs = append(xs, c.price)
		}
	}
	slices.Sort(xs)
	xs = slices.Compact(xs)
	step := top / float64(cells)
	grid := bs.surv[:0] // borrowed while the nodes are laid
	for i := 1; i < len(xs); i++ {
		lo, hi := xs[i-1], xs[i]
		n := max(int(math.Ceil((hi-lo)/step)), 1)
		for k := range n {
			grid = append(grid, lo+(hi-lo)*float64(k)/float64(n))
		}
	}
	grid = append(grid, top)
	bs.xs = append(xs[:0], grid...)
	bs.surv = slices.Grow(grid[:0], len(bs.xs))[:len(bs.xs)]
}
