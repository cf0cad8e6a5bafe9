package fluid

import (
	"testing"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/latency"
	"github.com/ddbsim/ddbsim/model/stream"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
	"github.com/ddbsim/ddbsim/workload"
)

// streamTally keeps the stream consumers' last sample.
type streamTally struct {
	tally
	last []stream.ConsumerState
}

func (r *streamTally) Sample(_ sim.Time, _ int, st *model.TableState) {
	r.last = append(r.last[:0], st.Consumers...)
}

// Every write the aggregate driver admits is a record in the table's
// stream, and none it throttles: a table of 100 WCU taking 150 puts a
// second logs what it admitted (1 WCU each), and a Lambda trigger that
// keeps up processes them all.
func TestFluidStreamRecordsAdmittedWrites(t *testing.T) {
	tc := table(1000, 100)
	tc.Stream = &stream.Config{View: stream.NewAndOldImages, Consumers: []stream.ConsumerConfig{{Name: "l",
		Kind: stream.ConsumerLambda, BatchSize: 100, ProcessingTime: 100 * sim.Millisecond}}}
	cfg := fluidConfig(t, 200, 2*sim.Minute, true, workload.Uniform{Count: 1000},
		[]units.Op{units.OpGet, units.OpPut}, []float64{1, 3})
	cfg.Retry = workload.NoRetry()
	rec := &streamTally{}
	k := sim.New(7)
	svc, err := model.NewService([]model.TableConfig{tc}, noBurst(), latency.DefaultLatency(), k.Stream("service/latency"), rec)
	if err != nil {
		t.Fatal(err)
	}
	end := 3 * sim.Minute
	svc.Start(k, end)
	d := NewDriver(k, svc, rec, 0)
	if _, err := d.Add(cfg); err != nil {
		t.Fatal(err)
	}
	d.Start()
	k.Run(end)
	if rec.throttles == 0 {
		t.Fatal("no throttles: the test wants some writes refused")
	}
	if len(rec.last) != 1 {
		t.Fatalf("%d consumers sampled, want 1", len(rec.last))
	}
	c := rec.last[0]
	if written := int64(rec.write.Float()); c.Records != written || c.Processed != written || c.Lost != 0 {
		t.Errorf("records %d, processed %d, lost %d; want the %d writes admitted, all processed", c.Records, c.Processed, c.Lost, written)
	}
	if c.IteratorAge > sim.Second {
		t.Errorf("iterator age %v: the trigger keeps up", c.IteratorAge)
	}
}
