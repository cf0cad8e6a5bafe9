package latency

import (
	"math"
	"math/rand/v2"

	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
)

// z99 is the standard normal's 99th percentile: a lognormal with median m
// and 99th percentile q has sigma = ln(q/m) / z99.
const z99 = 2.3263478740408408

// Lognormal is a service-time distribution given by its median and 99th
// percentile, the two figures people quote for latency.
type Lognormal struct {
	Median, P99 sim.Time
}

// Sample draws one value.
func (l Lognormal) Sample(r *rand.Rand) sim.Time {
	if l.P99 <= l.Median {
		return l.Median
	}
	mu := math.Log(float64(l.Median))
	sigma := math.Log(float64(l.P99)/float64(l.Median)) / z99
	return sim.Time(math.Exp(mu + sigma*r.NormFloat64()))
}

// Quantile is the distribution's p-quantile, 0 < p < 1.
func (l Lognormal) Quantile(p float64) sim.Time {
	if l.P99 <= l.Median {
		return l.Median
	}
	mu := math.Log(float64(l.Median))
	sigma := math.Log(float64(l.P99)/float64(l.Median)) / z99
	return sim.Time(math.Exp(mu + sigma*math.Sqrt2*math.Erfinv(2*p-1)))
}

// LatencyModel gives the service time of one request (REFERENCE: latency).
//
// The service publishes no percentiles, only "low single-digit
// milliseconds" for a same-region GetItem or PutItem of about 1 KB, flat as
// throughput and table size grow, with Query and Scan growing with result
// size and strongly consistent reads possibly slower. The defaults below
// are ddbsim's own parameters chosen to match that description (GetItem
// median 2.5 ms, p99 10 ms, as REFERENCE suggests); a scenario overrides
// them per operation with `latency:`.
type LatencyModel struct {
	// Base is the service time of each operation for a small item.
	Base [units.NumOps]Lognormal
	// PerKB is added per KB read by Query, Scan and BatchGetItem, the
	// "grows with result size" part: transferring and unmarshalling data.
	PerKB sim.Time
	// StrongFactor scales strongly consistent reads, which must go to the
	// partition's leader replica.
	StrongFactor float64
	// Throttle is the time to receive a throttling error: the request is
	// rejected at the request router before any storage node does work.
	Throttle Lognormal
	// base, throttle and dax cache the distributions' parameters (see
	// Prepare).
	base     [units.NumOps]lognormalParams
	throttle lognormalParams
	dax      lognormalParams
	prepared bool
	// DAX is a DAX node's own time for a request: the whole of a cache
	// hit, "microseconds, an order of magnitude below DynamoDB"; a miss
	// or a write adds the table's service time to it (REFERENCE:
	// latency). A tenth of GetItem's figures: median 250 µs, p99 1 ms.
	DAX Lognormal
}

// DefaultLatency returns the documented default parameters.
func DefaultLatency() LatencyModel {
	ms := func(median, p99 float64) Lognormal {
		return Lognormal{sim.Time(median * float64(sim.Millisecond)), sim.Time(p99 * float64(sim.Millisecond))}
	}
	var m LatencyModel
	m.Base[units.OpGet] = ms(2.5, 10)
	m.Base[units.OpPut] = ms(3.5, 12)
	m.Base[units.OpUpdate] = ms(3.5, 12)
	m.Base[units.OpDelete] = ms(3.5, 12)
	m.Base[units.OpQuery] = ms(3, 12)
	m.Base[units.OpScan] = ms(5, 20)
	m.Base[units.OpBatchGet] = ms(4, 15)
	m.Base[units.OpBatchWrite] = ms(6, 20)
	m.Base[units.OpTransactGet] = ms(6, 20)
	m.Base[units.OpTransactWrite] = ms(10, 30)
	m.PerKB = 10 * sim.Microsecond // a full 1 MB page adds about 10 ms
	m.StrongFactor = 1.2
	m.Throttle = ms(1, 4)
	m.DAX = ms(0.25, 1)
	return m
}

// lognormalParams are a Lognormal's parameters, worked out once, with a
// table of its quantiles that makes a draw an interpolation instead of a
// normal variate and an exponential.
type lognormalParams struct {
	mu, sigma float64
	constant  bool
	median    sim.Time
	q         *[quantileCells + 1]float64 // q[i] = the i/quantileCells quantile
}

// The quantile table splits (0, 1) into 4,096 cells (32 KiB a
// distribution). A draw takes a cell and a position in it from one random
// number and interpolates linearly between the cell's end quantiles;
// within the exactCells cells at either end, where the quantile function
// bends too sharply for a straight line (and reaches 0 and infinity), it
// computes the quantile exactly. The interpolation's largest relative
// error, at the edge of the exact cells, is below 2e-4 for a p99/median
// ratio up to 10 (TestLognormalTableError): under the HDR histograms'
// resolution of 1e-3. So the distribution is the lognormal to within a
// value's 0.02%, not bit for bit.
const (
	quantileBits  = 12
	quantileCells = 1 << quantileBits
	exactCells    = 16
)

func (l Lognormal) params() lognormalParams {
	if l.P99 <= l.Median {
		return lognormalParams{constant: true, median: l.Median}
	}
	p := lognormalParams{mu: math.Log(float64(l.Median)), sigma: math.Log(float64(l.P99)/float64(l.Median)) / z99}
	p.q = new([quantileCells + 1]float64)
	for i := 1; i < quantileCells; i++ {
		p.q[i] = p.quantile(float64(i)/quantileCells, float64(quantileCells-i)/quantileCells)
	}
	return p
}

// quantile is the distribution's u quantile, given u and 1-u (each
// computed by the caller without cancellation, for accuracy in both
// tails).
func (p *lognormalParams) quantile(u, complement float64) float64 {
	var z float64 // the standard normal's u quantile
	if u < 0.5 {
		z = -math.Sqrt2 * math.Erfcinv(2*max(u, 0x1p-1074))
	} else {
		z = math.Sqrt2 * math.Erfcinv(2*max(complement, 0x1p-1074))
	}
	return math.Exp(p.mu + p.sigma*z)
}

// sample draws from the distribution by its quantile table.
func (p *lognormalParams) sample(r *rand.Rand) sim.Time {
	if p.constant {
		return p.median
	}
	u := r.Uint64()
	cell := int(u >> (64 - quantileBits))
	frac := float64(u<<quantileBits>>11) * 0x1p-53 // the position in the cell, 53 bits
	if cell >= exactCells && cell < quantileCells-exactCells {
		lo := p.q[cell]
		return sim.Time(lo + frac*(p.q[cell+1]-lo))
	}
	return sim.Time(p.quantile((float64(cell)+frac)/quantileCells, (float64(quantileCells-cell)-frac)/quantileCells))
}

// Prepare caches the Base, Throttle and DAX distributions' parameters;
// they must not change afterwards.
func (m *LatencyModel) Prepare() {
	for op := range m.Base {
		m.base[op] = m.Base[op].params()
	}
	m.throttle = m.Throttle.params()
	m.dax = m.DAX.params()
	m.prepared = true
}

// ThrottleTime draws the time to receive a throttling (or other early)
// error.
func (m *LatencyModel) ThrottleTime(r *rand.Rand) sim.Time {
	if !m.prepared {
		m.Prepare()
	}
	return m.throttle.sample(r)
}

// DAXTime draws a DAX node's own time for a request.
func (m *LatencyModel) DAXTime(r *rand.Rand) sim.Time {
	if !m.prepared {
		m.Prepare()
	}
	return m.dax.sample(r)
}

// Service draws the service time of an admitted request that read
// readBytes.
func (m *LatencyModel) Service(r *rand.Rand, op units.Op, c units.Consistency, readBytes int) sim.Time {
	if !m.prepared {
		m.Prepare()
	}
	return m.adjust(m.base[op].sample(r), op, c, readBytes)
}

// ServiceQuantile is the p-quantile of the service time Service draws for
// an admitted op at consistency c that read readBytes.
func (m *LatencyModel) ServiceQuantile(op units.Op, c units.Consistency, readBytes int, p float64) sim.Time {
	return m.adjust(m.Base[op].Quantile(p), op, c, readBytes)
}

// adjust turns a base service time t into the request's: slower for a
// strongly consistent read, longer by PerKB for the bytes a Query, Scan or
// BatchGetItem read.
func (m *LatencyModel) adjust(t sim.Time, op units.Op, c units.Consistency, readBytes int) sim.Time {
	if c == units.Strong && !op.IsWrite() {
		t = sim.Time(float64(t) * m.StrongFactor)
	}
	if readBytes > 0 && (op == units.OpQuery || op == units.OpScan || op == units.OpBatchGet) {
		t += m.PerKB * sim.Time(readBytes) / 1024
	}
	return t
}
