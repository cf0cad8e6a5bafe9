package stream

import (
	"testing"

	"github.com/ddbsim/ddbsim/model/store"
	"github.com/ddbsim/ddbsim/sim"
)

// onePartition is a table of one partition.
type onePartition struct{}

func (onePartition) PartitionOf(uint64) int { return 0 }

// REFERENCE: streams — "Price: per GetRecords read request unit ...;
// reads by Lambda triggers ... are free"; a GetRecords call returns "up to
// 1,000 records / 1 MB". A client consumer pays a unit per call, the empty
// polls (every second while idle) included; a Lambda trigger's calls are
// counted but not billed.
func TestStreamClientReadsAreBilledPerCall(t *testing.T) {
	const end = 10 * sim.Second
	for _, tt := range []struct {
		name    string
		kind    ConsumerKind
		batch   int
		records int // appended at 0 to partition 0
		size    int // each, new image
		calls   int64
		billed  int64
	}{
		// 2,000 records: two calls of 1,000, one empty, then an empty
		// poll a second at 1.2 .. 9.2 s (1 + 1 + 1 + 9).
		{"client, 1,000 records a call", ConsumerClient, 0, 2000, 100, 12, 12},
		{"client, batch of 300", ConsumerClient, 300, 2000, 100, 7 + 1 + 9, 17},
		// 25 records of 100 KB: 1 MB holds 10 of them: 10 + 10 + 5, one
		// empty, then 9 empty polls.
		{"client, 1 MB a call", ConsumerClient, 0, 25, 100 << 10, 13, 13},
		// A Lambda trigger: 20 batches of 100, then an empty call and
		// one every 250 ms (at 2.25 .. 9.75 s): counted, not billed.
		{"lambda", ConsumerLambda, 0, 2000, 100, 20 + 1 + 31, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			st := New(Config{View: NewImage, Consumers: []ConsumerConfig{{Name: "c", Kind: tt.kind,
				BatchSize: tt.batch, ProcessingTime: 100 * sim.Millisecond}}}, 1, false, onePartition{}, nil)
			key := []byte("k")
			for i := 0; i < tt.records; i++ {
				st.Append(0, &store.Change{Key: key, PKHash: store.HashKey(key), Kind: store.ChangeModify, NewSize: tt.size})
			}
			k := sim.New(1)
			st.Start(k, end)
			k.Run(end)
			s := st.Sample(end)[0]
			if s.Processed != int64(tt.records) {
				t.Errorf("processed %d of %d", s.Processed, tt.records)
			}
			if s.ReadUnits != tt.calls || st.ReadUnits() != tt.billed {
				t.Errorf("%d GetRecords calls, %d billed; want %d and %d", s.ReadUnits, st.ReadUnits(), tt.calls, tt.billed)
			}
		})
	}
}
