package fluid

import (
	"math"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/units"
)

// Transaction conflicts as counts. A committed transact_write holds its
// items for its service time, and a transaction, or a plain put, update
// or delete, that touches a held item is cancelled with
// TransactionConflict before it is charged anything (model/transact.go);
// the client retries it as it retries a throttle. Two holds of one item
// never overlap, since a transaction that finds its item held does not
// take it: an item is a loss system of one server, and with transactions
// touching it at the Poisson rate lambda, each of which would otherwise
// commit, and holding it for a mean time E[S], it is held the share
// h = lambda E[S] / (1 + lambda E[S]) of the time (Erlang's loss formula,
// which does not depend on the holds' distribution). lambda_k is what
// every workload on the table sends to item k: R m w_k (1 - q)^(m-1), R
// transactions a second of m items each, w_k the share of their items on
// k, (1 - q)^(m-1) the chance the others are free, q = sum_k w_k h_k the
// share of a transaction's items that find theirs held. A new
// transaction conflicts with probability 1 - (1 - q)^m, and a plain write
// on partition i with the share of the partition's traffic on held items,
// sum_{k on i} w_k h_k / share_i. h and q are found together, by a few
// rounds of fixed-point iteration each tick, from the tick's offered
// transactions.
//
// A retry is sent to the same items, and one of them was held: it meets
// a held item again with probability hbar = sum w_k h_k^2 / sum w_k h_k
// (the held item, drawn in proportion to w_k h_k, still held) for that
// item, and q for each of the others.
//
// It approximates: only the listed keys (the most popular, see
// maxListedKeys) are tracked, the rest, each of a negligible share, never
// held; a transaction's conflict is decided before admission, so one
// both throttled and in conflict counts as a conflict (the per-request
// model reports it throttled); the transactions that hold items are
// those offered, less the share of them the last tick's admission
// refused; the items held are taken to be held independently, where one
// transaction holds several at once (a few percent more conflicts of
// transactions of several hot items: 3.5% for three items of which half
// go to 20 keys, by a Monte Carlo of the holds); the update of a
// read-modify-write does not conflict.

// holdRounds is the rounds of fixed-point iteration between the hold
// probabilities and the transactions' conflicts: each round changes q by
// a factor of about q itself, a few percent, so three leave it exact to
// far below the counts' noise.
const holdRounds = 3

// keyed is a source's listed keys, as the conflicts need them.
type keyed struct {
	w    []float64 // each key's share of the source's traffic
	part []int32   // the partition it is on
	hash []uint64
	slot []int32 // its item in the table's holds
	gen  int     // counts set's calls
	// by partition, scratch: sum w h and sum w h^2
	wh, whh []float64
}

// set lists pop's keys on t as it is now.
func (k *keyed) set(pop *model.Popularity, t *model.Table) {
	total := pop.Spread
	for _, kw := range pop.Keys {
		total += kw.Weight
	}
	k.w, k.part, k.hash = k.w[:0], k.part[:0], k.hash[:0]
	for _, kw := range pop.Keys {
		if kw.Weight > 0 && total > 0 {
			k.w = append(k.w, kw.Weight/total)
			k.part = append(k.part, int32(t.PartitionOf(kw.Hash)))
			k.hash = append(k.hash, kw.Hash)
		}
	}
	k.slot = k.slot[:0]
	k.gen++
}

// holds is the items of one table that transactions may hold: each
// source's listed keys, one slot an item, and the share of the time each
// is held.
type holds struct {
	slot   map[uint64]int32
	h      []float64
	load   []float64
	gens   []int // the sources' keyed.gen the slots are for
	served float64
}

// build gives every listed key of srcs a slot, when their keys changed.
func (hd *holds) build(srcs []*Source) {
	same := len(hd.gens) == len(srcs)
	for i, s := range srcs {
		same = same && hd.gens[i] == s.keyed.gen
	}
	if same {
		return
	}
	hd.gens = hd.gens[:0]
	hd.slot = map[uint64]int32{}
	for _, s := range srcs {
		hd.gens = append(hd.gens, s.keyed.gen)
		k := &s.keyed
		k.slot = k.slot[:0]
		for _, h := range k.hash {
			j, ok := hd.slot[h]
			if !ok {
				j = int32(len(hd.slot))
				hd.slot[h] = j
			}
			k.slot = append(k.slot, j)
		}
	}
	hd.h = resize(hd.h, len(hd.slot))
	hd.load = resize(hd.load, len(hd.slot))
}

// conflicts takes the tick's requests that meet an item a transaction
// holds off the offered counts of the table's workloads, to be retried
// or to fail as TransactionConflict (see the top of this file).
func (d *Driver) conflicts(ft *tableGroups) {
	var srcs []*Source
	writing := false
	for _, s := range d.sources {
		if s.cfg.Table != ft.table {
			continue
		}
		srcs = append(srcs, s)
		for oi := range s.ops {
			if s.ops[oi].op == units.OpTransactWrite && s.ops[oi].group.Requests > 0 {
				writing = true
			}
		}
	}
	if !writing {
		return
	}
	hd := &ft.holds
	hd.build(srcs)
	if hd.served == 0 {
		hd.served = meanService(d.svc, units.OpTransactWrite, units.Transactional, 0)
	}
	perSecond := 1 / d.tick.Seconds()
	for _, s := range srcs {
		for oi := range s.ops {
			if m := s.ops[oi].multi; m != nil {
				m.q = 0
			}
		}
	}
	for range holdRounds {
		clear(hd.load)
		for _, s := range srcs {
			for oi := range s.ops {
				o := &s.ops[oi]
				if o.op != units.OpTransactWrite || o.group.Requests == 0 || o.even {
					continue
				}
				m := o.multi
				f := float64(o.group.Requests) * m.admitted * perSecond * float64(m.parts) * math.Pow(1-m.q, float64(m.parts-1)) * hd.served
				for j, w := range s.keyed.w {
					hd.load[s.keyed.slot[j]] += f * w
				}
			}
		}
		for k, a := range hd.load {
			hd.h[k] = a / (1 + a)
		}
		for _, s := range srcs {
			for oi := range s.ops {
				if m := s.ops[oi].multi; m != nil && m.whole && !s.ops[oi].even {
					q := 0.0
					for j, w := range s.keyed.w {
						q += w * hd.h[s.keyed.slot[j]]
					}
					m.q = q
				}
			}
		}
	}
	for _, s := range srcs {
		s.conflict(hd.h)
	}
}

// conflict takes the tick's conflicts of s's requests off its offered
// counts, h the hold probabilities of its table's items.
func (s *Source) conflict(h []float64) {
	k := &s.keyed
	var wh, whh float64 // over all the source's keys
	n := s.pl.Partitions()
	k.wh, k.whh = resize(k.wh, n), resize(k.whh, n)
	for j, w := range k.w {
		hj := h[k.slot[j]]
		wh += w * hj
		whh += w * hj * hj
		if p := int(k.part[j]); p < n {
			k.wh[p] += w * hj
			k.whh[p] += w * hj * hj
		}
	}
	if wh == 0 {
		return
	}
	for oi := range s.ops {
		o := &s.ops[oi]
		if o.even || o.follows {
			continue
		}
		switch m := o.multi; {
		case m != nil && m.whole:
			parts := float64(m.parts)
			fresh := 1 - math.Pow(1-m.q, parts)
			again := 1 - (1-whh/wh)*math.Pow(1-m.q, parts-1)
			took := false
			if c := binomial(s.rng, m.fresh, fresh); c > 0 {
				m.fresh -= c
				s.conflicted = append(s.conflicted, throttleRec{op: oi, attempt: 1, n: c, err: model.ErrTransactionConflict})
				took = true
			}
			for ci := range s.cur {
				cc := &s.cur[ci]
				if cc.op != oi {
					continue
				}
				p := fresh
				if cc.conflicted {
					p = again
				}
				if c := binomial(s.rng, cc.n, p); c > 0 {
					cc.n -= c
					s.conflicted = append(s.conflicted, throttleRec{op: oi, attempt: cc.attempt, age: cc.age,
						ageVar: cc.ageVar, n: c, err: model.ErrTransactionConflict})
					took = true
				}
			}
			if took {
				s.offerWhole(oi)
			}
		case m == nil && (o.op == units.OpPut || o.op == units.OpUpdate || o.op == units.OpDelete):
			share := s.placement(oi).Share
			for i := range n {
				if k.wh[i] == 0 || share[i] <= 0 {
					continue
				}
				fresh := min(k.wh[i]/share[i], 1)
				again := k.whh[i] / k.wh[i]
				if c := binomial(s.rng, o.fresh[i], fresh); c > 0 {
					o.fresh[i] -= c
					o.group.Offered[i] -= c
					s.conflicted = append(s.conflicted, throttleRec{op: oi, part: i, attempt: 1, n: c,
						err: model.ErrTransactionConflict})
				}
				for ci := range s.cur {
					cc := &s.cur[ci]
					if cc.op != oi || cc.part != i {
						continue
					}
					p := fresh
					if cc.conflicted {
						p = again
					}
					if c := binomial(s.rng, cc.n, p); c > 0 {
						cc.n -= c
						o.group.Offered[i] -= c
						s.conflicted = append(s.conflicted, throttleRec{op: oi, part: i, attempt: cc.attempt,
							age: cc.age, ageVar: cc.ageVar, n: c, err: model.ErrTransactionConflict})
					}
				}
			}
		}
	}
}
