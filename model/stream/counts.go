package stream

import (
	"github.com/ddbsim/ddbsim/model/store"
	"github.com/ddbsim/ddbsim/sim"
)

// AppendN logs n changes like c in the open shard of partition part, as
// the aggregate driver produces them: a count of changes applied on one
// partition over a tick, all taken to be appended at now. They join the
// shard's run of now's second as n records of c's size, exactly as n
// calls of Append in that second would leave the shard (a run keeps a
// count and bytes, not records); c.PKHash is not read, the partition is
// given. Like Append it schedules nothing and allocates only to grow the
// shard's runs.
func (st *Log) AppendN(now sim.Time, part int, n int64, c *store.Change) {
	if n <= 0 {
		return
	}
	si := st.open[part]
	sh := &st.shards[si]
	sh.trim(now)
	size := uint32(min(st.recordSize(c), 1<<31))
	for n > 0 {
		k := uint32(min(n, 1<<32-1))
		var last *streamRun
		if sh.n > 0 {
			last = sh.run(sh.absHead + int64(sh.n) - 1)
		}
		if last != nil && last.at/sim.Second == now/sim.Second && last.n <= 1<<32-1-k {
			last.n += k
		} else {
			sh.push(streamRun{at: now})
			last = sh.run(sh.absHead + int64(sh.n) - 1)
			last.n = k
		}
		last.bytes += uint32(min(uint64(size)*uint64(k), uint64(1<<32-1-last.bytes)))
		sh.total += int64(k)
		st.records += int64(k)
		n -= int64(k)
	}
}
