package fluid

import (
	"math"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/workload"
)

// Requests of several parts: BatchGetItem and BatchWriteItem (a batch,
// each part admitted on its own, the throttled ones returned unprocessed
// and sent again together) and the transactions (all or nothing; see
// model/counts_tx.go). An operation of several parts offers its parts to
// admission, each on the partition of its key and priced as the
// single-item operation it stands for (model.handleBatch,
// model.handleTransact), and settles whole requests.
//
// A batch of b parts falls on the partitions as the workload's keys do,
// each part independently (as the per-request driver draws them). If a
// partition admits the share a_i of the parts offered to it, a part is
// processed with probability x = sum_i s_i a_i, s_i the share of the
// batch's parts on partition i, and the batch is fully processed with
// probability x^b. The rest are retried, within the attempts and the
// retry quota, with only their unprocessed parts: the parts partition i
// refused, v_i (1 - a_i) of the v_i it was offered. A batch retry cohort
// so carries its parts by partition (cohort.parts), and spans every
// partition they are on; b of a retried batch is its cohort's mean parts
// per batch.
//
// It approximates: the parts of one batch are taken to fare
// independently, so a retried batch's unprocessed parts are the cohort's
// mean, not each batch's own count; a batch given up is throttled with
// the reason of the partition that refused the most of its cohort's
// parts (the per-request driver reports the first unprocessed part's).

// multiPart is the state of an operation whose requests are several
// parts.
type multiPart struct {
	parts int  // parts per request: the workload's batch size
	whole bool // a transaction: admitted all or nothing
	// fresh is the tick's new requests; their parts are in the
	// operation's fresh counts, by partition.
	fresh int64
	// q is, for a transaction, the share of its items that find their
	// item held (conflicts.go).
	q float64
	// admitted is, for a transaction, the share of those offered that
	// the last tick admitted; only they hold their items.
	admitted float64
	retried  []int64 // scratch: where a transaction's retried parts fall
	// processed is, by partition, the share of the parts offered this
	// tick that were admitted: scratch for settle.
	processed []float64
}

// isMulti reports whether op's requests are several parts.
func isMulti(op units.Op) bool {
	switch op {
	case units.OpBatchGet, units.OpBatchWrite, units.OpTransactGet, units.OpTransactWrite:
		return true
	}
	return false
}

// newMulti is the multiPart of operation op of a workload configured
// as cfg.
func newMulti(op units.Op, cfg workload.Config) *multiPart {
	if !isMulti(op) {
		return nil
	}
	b := cfg.BatchSize
	if b <= 0 {
		b = workload.DefaultBatchSize
	}
	return &multiPart{parts: b, whole: op == units.OpTransactGet || op == units.OpTransactWrite, admitted: 1}
}

// partsOf turns the tick's new requests of a multi-part operation, counted
// by partition as a single request's would be, into their parts: each
// part on the partition of its own key, a multinomial draw.
func (s *Source) partsOf(oi int) {
	o := &s.ops[oi]
	m := o.multi
	var n int64
	for _, c := range o.fresh {
		n += c
	}
	m.fresh = n
	if m.whole {
		return // offerWhole draws the parts
	}
	s.spreadParts(o.fresh, n*int64(m.parts), s.placement(oi).Share)
}

// offerWhole sets a transaction's offered parts: its new requests' and
// its retries', each transaction's items on the partitions of their keys,
// drawn anew (a retried transaction is sent whole, and its items' draw
// is not kept); and the count of transactions they are.
func (s *Source) offerWhole(oi int) {
	o := &s.ops[oi]
	m := o.multi
	share := s.placement(oi).Share
	var retried int64
	for _, c := range s.cur {
		if c.op == oi {
			retried += c.n
		}
	}
	o.group.Requests = m.fresh + retried
	s.spreadParts(o.fresh, m.fresh*int64(m.parts), share)
	m.retried = resize(m.retried, len(o.fresh))
	s.spreadParts(m.retried, retried*int64(m.parts), share)
	for i, f := range o.fresh {
		o.group.Offered[i] = f + m.retried[i]
	}
}

// spreadParts draws where n parts fall, by share: a multinomial draw, by
// a chain of binomials.
func (s *Source) spreadParts(dst []int64, n int64, share []float64) {
	clear(dst)
	rest := 1.0
	for i, sh := range share {
		if n == 0 || sh <= 0 {
			continue
		}
		k := n
		if sh < rest {
			k = binomial(s.rng, n, sh/rest)
		}
		dst[i] = k
		n -= k
		rest -= sh
	}
}

// offerParts adds a cohort's parts to the operation's offered counts,
// rounded from a random offset so that none is favoured.
func (s *Source) offerParts(offered []int64, c *cohort) {
	u := s.share.Float64()
	acc, prev := 0.0, int64(0)
	for i, p := range c.parts {
		acc += p
		next := int64(math.Floor(acc + u))
		offered[i] += next - prev
		prev = next
	}
}

// settleMulti settles operation oi's requests, the fresh ones and the
// retries s.cur[ci:] of it, and returns the index of the first cohort of
// another operation.
func (s *Source) settleMulti(oi, ci int) int {
	o := &s.ops[oi]
	m := o.multi
	g := &o.group
	n := len(g.Offered)
	m.processed = resize(m.processed, n)
	for i, offer := range g.Offered {
		if offer > 0 {
			m.processed[i] = float64(min(g.Admitted[i], offer)) / float64(offer)
		}
	}
	// A transaction is admitted whole or not at all, the same share of
	// every cohort; the reason of the refused ones is the model's.
	committed, reason := 1.0, model.NotThrottled
	if m.whole {
		var offered, admitted int64
		worst, most := 0, int64(-1)
		for i, c := range g.Offered {
			offered += c
			admitted += min(g.Admitted[i], c)
			if c-g.Admitted[i] > most {
				worst, most = i, c-g.Admitted[i]
			}
		}
		n := g.Committed
		// Parts of admitted transactions that the final admission still
		// refused cancel theirs.
		if lost := offered - admitted; lost > 0 {
			n = max(n-(lost+int64(m.parts)-1)/int64(m.parts), 0)
		}
		if g.Requests > 0 {
			committed = float64(n) / float64(g.Requests)
			m.admitted = committed
		}
		reason = g.RefusedReason
		if reason == model.NotThrottled && worst < len(g.Reason) {
			reason = g.Reason[worst]
		}
	}
	settle := func(count int64, parts []float64, attempt int, c *cohort) {
		if count <= 0 {
			return
		}
		var total float64
		for _, p := range parts {
			total += p
		}
		done := count
		if m.whole {
			done = min(count, int64(math.Floor(float64(count)*committed+s.share.Float64())))
			if left := count - done; left > 0 {
				t := throttleRec{op: oi, attempt: attempt, n: left, reason: reason}
				if c != nil {
					t.age, t.ageVar = c.age, c.ageVar
				}
				s.throttled = append(s.throttled, t)
			}
		} else if total > 0 {
			b := max(int(math.Round(total/float64(count))), 1) // parts a request
			whole := 1.0
			for i, p := range parts {
				if p > 0 && m.processed[i] < 1 {
					whole *= allThrough(b, p/total, m.processed[i])
				}
			}
			done = min(count, int64(math.Floor(float64(count)*whole+s.share.Float64())))
		}
		if done > 0 {
			if c == nil {
				s.finished(oi, attempt, 0, 0, done)
			} else {
				s.finished(oi, attempt, c.age, c.ageVar, done)
			}
		}
		left := count - done
		if left <= 0 || m.whole {
			return
		}
		// The parts left unprocessed, all in the batches not done.
		rest := make([]float64, n)
		worst, most := 0, -1.0
		for i, p := range parts {
			rest[i] = p * (1 - m.processed[i])
			if rest[i] > most {
				worst, most = i, rest[i]
			}
		}
		t := throttleRec{op: oi, part: 0, attempt: attempt, n: left, reason: g.Reason[worst], parts: rest}
		if c != nil {
			t.age, t.ageVar = c.age, c.ageVar
		}
		s.throttled = append(s.throttled, t)
	}
	fresh := make([]float64, n)
	for i, f := range o.fresh {
		fresh[i] = float64(f)
	}
	settle(m.fresh, fresh, 1, nil)
	for ; ci < len(s.cur) && s.cur[ci].op == oi; ci++ {
		c := &s.cur[ci]
		settle(c.n, c.parts, c.attempt, c)
	}
	m.fresh = 0
	clear(o.fresh)
	return ci
}

// scaleParts scales a cohort's parts to k of its n requests.
func scaleParts(parts []float64, k, n int64) []float64 {
	if parts == nil {
		return nil
	}
	out := make([]float64, len(parts))
	f := float64(k) / float64(max(n, 1))
	for i, p := range parts {
		out[i] = p * f
	}
	return out
}

// moveParts moves a cohort's parts from the partitions of old to those of
// the table now.
func moveParts(parts []float64, old *model.Placement, t *model.Table, n int) []float64 {
	if parts == nil {
		return nil
	}
	out := make([]float64, n)
	for i, p := range parts {
		out[t.PartitionOf(old.Start(i))] += p
	}
	return out
}

// allThrough is the probability that the parts of a batch of b parts
// that fall on a partition, each there with probability s, are all
// processed, when the partition processes the share a of the parts sent
// to it.
//
// A batch's parts on one partition meet its bucket at one instant, one
// after another: k of them all get through when the balance holds k
// parts' worth, and the first floor(balance) of them otherwise. Neither
// independent parts (a^k: far too few whole batches) nor one verdict for
// all of them (a: far too many) is what interleaved batches find. An
// overloaded bucket is drained by each arrival, so the balance the next
// one finds is what refilled in the gap before it, and Poisson arrivals'
// gaps are exponential: the balance is taken to hold j parts or more
// with probability q^j. A batch with k parts there then gets
// sum_{j=1..k} q^j of them through and all of them with probability q^k;
// q is the one at which the parts processed, over k ~ Binomial(b, s),
// are the share a, and the chance all the batch's parts there get through
// is E[q^k] = (1 - s + s q)^b.
func allThrough(b int, s, a float64) float64 {
	if a >= 1 || s <= 0 {
		return 1
	}
	s = min(s, 1)
	n := float64(b)
	// The share of parts processed at q: E[q (1-q^k)/(1-q)] / E[k],
	// with E[q^k] the binomial's generating function.
	share := func(q float64) float64 {
		if q >= 1 {
			return 1
		}
		return q * (1 - math.Pow(1-s+s*q, n)) / (1 - q) / (n * s)
	}
	lo, hi := 0.0, 1.0
	for range 50 {
		mid := (lo + hi) / 2
		if share(mid) < a {
			lo = mid
		} else {
			hi = mid
		}
	}
	return math.Pow(1-s+s*(lo+hi)/2, n)
}
