package model

import "github.com/ddbsim/ddbsim/sim"

// streamLog is one table's stream and its consumers.
//
// CONTRACT (implemented in this file; see StreamConfig, ConsumerConfig,
// ConsumerState in stream.go):
//   - newStreamLog(t, cfg, draw) makes the stream of table t with one
//     shard per partition; draw returns the model's own uniform [0, 1)
//     numbers (for batch failures).
//   - append(now, c) logs one applied change in the shard of the
//     partition owning c.pkHash, in the order changes are applied.
//   - onSplit(now, i): partition i has just split into i and i+1; its
//     shard closes and two child shards open for them. Consumers finish a
//     parent shard before they read its children.
//   - start(k, until) schedules the consumers on the kernel.
//   - sample(now) fills and returns the consumers' states, a slice reused
//     from call to call.
//   - readUnits() is the billed GetRecords calls so far (client consumers).
type streamLog struct {
	t   *Table
	cfg StreamConfig
}

func newStreamLog(t *Table, cfg StreamConfig, draw func() float64) *streamLog {
	return &streamLog{t: t, cfg: cfg}
}

func (st *streamLog) append(now sim.Time, c *change)      {}
func (st *streamLog) onSplit(now sim.Time, i int)         {}
func (st *streamLog) start(k *sim.Kernel, until sim.Time) {}
func (st *streamLog) sample(now sim.Time) []ConsumerState { return nil }
func (st *streamLog) readUnits() int64                    { return 0 }
