package model

import (
	"math"

	"github.com/ddbsim/ddbsim/sim"
)

// Transactions as counts. handleTransact admits a transaction only when
// every partition it touches takes its share of it, and a cancelled one
// consumes nothing. A tick's transactions of one group are Requests
// transactions of Parts items each, their items falling on the
// partitions as the group's Offered counts them. admitWhole asks the
// admission order what it would admit of every part (planCounts, with the
// tick's other groups); a transaction is admitted when each of its parts
// is, and its parts fall on the partitions independently, so a share x of
// the parts admitted admits x^Parts of the transactions. Only the parts of
// those go on to be charged, so a cancelled transaction's parts that their
// partitions would have taken consume nothing, as in handleTransact.
//
// It approximates: the parts of the transactions admitted are spread over
// the partitions in proportion to the parts each would admit (a
// transaction that got through is a little more likely to have its items
// on the partitions with room, which this takes in full); a part of an
// admitted transaction that the final admission, with less traffic on
// every bucket, still refuses is reported as a refused part and not as a
// cancelled transaction (AdmitCounts refuses it as any other flow).

// Whole is what a CountGroup of transactions needs beyond counts of parts.
type Whole struct {
	// Parts is the items of one transaction; 0 for a group of single
	// requests (or batches, whose parts are admitted one by one).
	Parts int
	// Requests is how many transactions Offered holds the parts of.
	Requests int64
	// Committed is filled with how many of them are admitted whole;
	// RefusedReason with the reason of the rest, which are reported as
	// one throttle each, with the reason of the partition that refused
	// the most of their parts.
	Committed     int64
	RefusedReason ThrottleReason
}

// admitWhole admits the transactions of the groups with Parts set, whole
// or not at all, and leaves in their Offered only the parts of those
// admitted (see the top of this file).
func (s *Service) admitWhole(from, to sim.Time, table int, groups []*CountGroup) {
	whole := false
	for _, g := range groups {
		if g.Parts > 0 {
			whole = true
			g.Committed, g.RefusedReason = 0, NotThrottled
		}
	}
	if !whole {
		return
	}
	t, _ := s.planCounts(from, to, table, groups)
	for _, g := range groups {
		if g.Parts == 0 {
			continue
		}
		var offered, admitted int64
		worst, most := -1, int64(0)
		for i, c := range g.Offered {
			offered += c
			admitted += g.Admitted[i]
			if r := c - g.Admitted[i]; r > most {
				worst, most = i, r
			}
		}
		if offered == 0 || worst < 0 {
			g.Committed = g.Requests
			continue
		}
		x := float64(admitted) / float64(offered)
		committed := min(g.Requests, int64(math.Floor(float64(g.Requests)*math.Pow(x, float64(g.Parts))+0.5)))
		g.Committed = committed
		if refused := g.Requests - committed; refused > 0 {
			limit := LimitCeiling
			for _, f := range s.counts.flows {
				if f.g == g && f.part == worst {
					if f.v.atCeiling < f.n-f.v.admitted-f.v.atCeiling {
						limit = f.v.limit
					}
					break
				}
			}
			s.refuseN(from, t, worst, g, g.Op.IsWrite(), limit, refused)
			g.RefusedReason = g.Reason[worst]
		}
		spreadParts(g.Offered, g.Admitted, committed*int64(g.Parts))
	}
}

// spreadParts sets dst to n parts spread in proportion to weight, by
// largest remainder (the first partition wins a tie).
func spreadParts(dst, weight []int64, n int64) {
	var total int64
	for _, w := range weight[:len(dst)] {
		total += w
	}
	if total == 0 || n == 0 {
		clear(dst)
		return
	}
	given := int64(0)
	for i := range dst {
		dst[i] = int64(float64(n) * float64(weight[i]) / float64(total))
		given += dst[i]
	}
	for given < n {
		best, bestRem := -1, -1.0
		for i := range dst {
			if weight[i] == 0 {
				continue
			}
			rem := float64(n)*float64(weight[i])/float64(total) - float64(dst[i])
			if rem > bestRem {
				best, bestRem = i, rem
			}
		}
		dst[best]++
		given++
	}
}
