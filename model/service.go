package model

import (
	"fmt"
	"math/rand/v2"

	"github.com/ddbsim/ddbsim/sim"
)

// Request is one attempt of a client request, as the service sees it. The
// client owns it and reuses it; Handle does not keep it.
type Request struct {
	Table       int
	Op          Op
	Consistency Consistency
	Key         []byte // partition key
	SortIndex   int64  // sort-key index of a synthetic item; ignored without a sort key
	Size        int    // bytes of the item written by put and update
	Limit       int    // items per page for query and scan; 0 = the 1 MB page only
	Cursor      *ScanCursor
}

// Response is the service's answer to one attempt.
type Response struct {
	Reason  ThrottleReason // NotThrottled when admitted
	Latency sim.Time       // time until the client has the response
	Read    Units          // capacity consumed
	Write   Units
}

// Admitted reports whether the attempt was served.
func (r Response) Admitted() bool { return r.Reason == NotThrottled }

// Service is the simulated database service: its tables, their admission,
// and service latency. It is driven by the caller's virtual time and never
// schedules anything itself in this first cut.
type Service struct {
	tables  []*Table
	rec     Recorder
	latency LatencyModel
	rng     *rand.Rand
}

// NewService builds the tables, loading their items. rng drives service
// latency; rec receives consumption and throttle events.
func NewService(cfgs []TableConfig, latency LatencyModel, rng *rand.Rand, rec Recorder) (*Service, error) {
	s := &Service{rec: rec, latency: latency, rng: rng}
	for _, c := range cfgs {
		t, err := newTable(c)
		if err != nil {
			return nil, err
		}
		s.tables = append(s.tables, t)
	}
	return s, nil
}

// Tables returns the service's tables, in declaration order.
func (s *Service) Tables() []*Table { return s.tables }

// TableIndex returns the index of the named table.
func (s *Service) TableIndex(name string) (int, error) {
	for i, t := range s.tables {
		if t.cfg.Name == name {
			return i, nil
		}
	}
	return 0, fmt.Errorf("no table named %q", name)
}

// Handle serves one attempt at now: it prices the operation in capacity
// units (REFERENCE: units), admits or throttles it (REFERENCE: partitions,
// throttling), applies an admitted write to the store, and draws the
// service time (REFERENCE: latency). It does not allocate.
func (s *Service) Handle(now sim.Time, req *Request) Response {
	t := s.tables[req.Table]
	st := t.store
	var (
		cost      Units
		readBytes int
		newSize   int
		cursor    ScanCursor
		hash      = HashKey(req.Key)
	)
	switch req.Op {
	case OpGet:
		size, _ := st.SizeOf(req.Key, req.SortIndex)
		cost, readBytes = ReadUnits(size, req.Consistency), size
	case OpPut, OpUpdate:
		old, existed := st.SizeOf(req.Key, req.SortIndex)
		newSize = req.Size
		cost = PutUnits(old, newSize, existed)
	case OpDelete:
		old, existed := st.SizeOf(req.Key, req.SortIndex)
		cost = DeleteUnits(old, existed)
	case OpQuery:
		_, readBytes = st.QuerySized(req.Key, req.Limit)
		cost = QueryUnits(readBytes, req.Consistency)
	case OpScan:
		cursor = *req.Cursor
		_, readBytes = st.ScanSized(&cursor, req.Limit)
		cost = ScanUnits(readBytes, req.Consistency)
		hash = req.Cursor.Hash()
	default:
		panic(fmt.Sprintf("model: operation %v is not modelled", req.Op))
	}

	write := req.Op.IsWrite()
	p := &t.parts[t.PartitionOf(hash)]
	if reason := t.admit(now, p, write, cost); reason != NotThrottled {
		s.rec.Throttle(now, req.Table, req.Op, reason)
		return Response{Reason: reason, Latency: s.latency.Throttle.Sample(s.rng)}
	}

	switch req.Op {
	case OpPut, OpUpdate:
		st.PutSized(req.Key, req.SortIndex, newSize)
	case OpDelete:
		st.DeleteSized(req.Key, req.SortIndex)
	case OpScan:
		*req.Cursor = cursor
	}
	resp := Response{Latency: s.latency.Service(s.rng, req.Op, req.Consistency, readBytes)}
	if write {
		resp.Write = cost
	} else {
		resp.Read = cost
	}
	s.rec.Consumed(now, req.Table, resp.Read, resp.Write)
	return resp
}

// Supported reports whether Handle models the operation yet.
func Supported(op Op) bool {
	switch op {
	case OpGet, OpPut, OpUpdate, OpDelete, OpQuery, OpScan:
		return true
	}
	return false
}
