package model

import (
	"fmt"
	"math/rand/v2"

	"github.com/ddbsim/ddbsim/model/latency"
	"github.com/ddbsim/ddbsim/model/store"
	"github.com/ddbsim/ddbsim/model/stream"
	"github.com/ddbsim/ddbsim/model/ttl"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
)

// Request is one attempt of a client request, as the service sees it. The
// client owns it and reuses it; Handle does not keep it.
type Request struct {
	Table       int
	Op          units.Op
	Consistency units.Consistency
	Key         []byte // partition key
	SortIndex   int64  // sort-key index of a synthetic item; ignored without a sort key
	Size        int    // bytes of the item written by put and update
	Limit       int    // items per page for query and scan; 0 = the 1 MB page only
	Cursor      *store.ScanCursor
	// SortFrom is the first sort-key index a query reads (sort key >=
	// SortFrom); 0 reads the item collection from its start.
	SortFrom int64
	// ConditionFails makes a put, update or delete carry a condition
	// expression that does not hold: the write is not applied and fails
	// with ConditionalCheckFailedException, yet consumes write capacity.
	ConditionFails bool
	// Index, when above 0, sends a query or scan to the table's secondary
	// index Index-1 (TableConfig.Indexes) instead of the table.
	Index int
	// ViaDAX sends the request through the table's DAX cluster, when it
	// has one; without one it goes to the table directly.
	ViaDAX bool
	// Given, when true, says the caller read real items itself (ddbsim
	// serve keeps each table's items): a query or scan then read
	// ReadBytes bytes (the items it evaluated, before any filter) from the
	// partition holding key hash ReadHash, and the model prices and admits
	// that instead of walking its own items. Reads of one item (get) and
	// writes still go by the model's items, which the caller keeps the
	// same size as its own.
	Given     bool
	ReadBytes int
	ReadHash  uint64
	// IndexWrites, with Given, are the index entries a put, update or
	// delete changes, worked out by the caller from the real items (a
	// key change 2, a projected change 1; see IndexWrite), used instead
	// of the model's own index plan.
	IndexWrites []IndexWrite
	// Items are the parts of a batch_get or batch_write (Key, SortIndex
	// and Size are then unused): 1 to MaxBatchItems(Op) of them, in a
	// buffer the client owns and reuses. Handle reorders them: the parts
	// it returns unprocessed come first, in the order they were sent, so
	// Items[:Response.Unprocessed] is exactly what a retry re-sends.
	Items []BatchItem
}

// Response is the service's answer to one attempt.
type Response struct {
	Reason  ThrottleReason // NotThrottled when admitted
	Latency sim.Time       // time until the client has the response
	Read    units.Units    // capacity consumed
	Write   units.Units
	// Unprocessed counts the parts of a batch that were throttled and not
	// served (UnprocessedKeys, UnprocessedItems), now at the front of
	// Request.Items; 0 for other operations. When every part is
	// unprocessed the batch is throttled: Reason is set too.
	Unprocessed int
	// UnprocessedReason is the throttle reason of the first unprocessed
	// part; NotThrottled when there is none.
	UnprocessedReason ThrottleReason
	// ConditionFailed reports an admitted write whose condition did not
	// hold (Request.ConditionFails).
	ConditionFailed bool
	// Error is an error other than a throttle that the request ended in
	// (ErrConditionalCheckFailed with ConditionFailed, or
	// ErrItemCollectionTooLarge); NoError otherwise.
	Error ErrorKind
	// Cache is what the DAX cluster did with the request; CacheNone when
	// it did not go through one.
	Cache CacheAccess
	// IndexWrite is what an admitted write consumed on the table's global
	// secondary indexes (their own capacity, REFERENCE: gsi); Write holds
	// the table's, local indexes included.
	IndexWrite units.Units

	readBytes int // what an admitted read returned, for DAX's query cache
}

// Admitted reports whether the attempt was served: for a batch, whether
// at least one part was (Unprocessed says whether all were).
func (r Response) Admitted() bool { return r.Reason == NotThrottled }

// Scheduler is what the service needs of the event kernel (sim.Kernel is
// one): the time, an event at a time, and a periodic event. The service
// schedules only what acts on its own (DESIGN: lazy over periodic).
type Scheduler interface {
	Now() sim.Time
	At(t sim.Time, h sim.Handler)
	Every(start, period, until sim.Time, h sim.Handler) *sim.Ticker
}

// Service is the simulated database service: its tables, their admission,
// and service latency. Requests are driven by the caller's virtual time;
// what the service does on its own (auto scaling, on-demand growth, splits,
// scheduled capacity changes, the per-second timeline) it schedules on the
// scheduler given to Start.
type Service struct {
	tables  []*Table
	params  Params
	rec     Recorder
	latency latency.LatencyModel
	rng     *rand.Rand
	sched   Scheduler
	ev      ThrottleEvent // reused: a throttle does not allocate
	tx      []txGroup     // reused by transactions
	// clusters are the DAX clusters in front of tables.
	clusters []*DAXCluster
	// faults are the scenario's region outages.
	faults []Fault
	// replication draws global tables' replication lags.
	replication *rand.Rand
	// seq drives the model's own decisions (which overwrites change an
	// index key) as a counter-based generator, apart from rng, so they
	// do not shift the latency draws.
	seq uint64
	// plan is the index writes of the write being served, reused;
	// txIndex gathers a transaction's.
	plan    indexPlan
	txIndex txIndexes
	// counts is the aggregate driver's admission scratch, reused; gsi,
	// indexTick and indexAcc its global secondary indexes'
	// (counts_index.go), gsi by the index's table.
	counts    countState
	gsi       map[int]*gsiCounts
	indexTick indexTick
	indexAcc  []float64
	// metered is the time of the last per-second sample, up to which the
	// tables' meters have counted time.
	metered sim.Time
}

// NewService builds the tables, loading their items. rng drives service
// latency; rec receives consumption, throttles and capacity changes.
func NewService(cfgs []TableConfig, params Params, latency latency.LatencyModel, rng *rand.Rand, rec Recorder) (*Service, error) {
	s := &Service{rec: rec, params: params, latency: latency, rng: rng}
	s.latency.Prepare()
	for i, c := range cfgs {
		t, err := newTable(i, c, &s.params)
		if err != nil {
			return nil, err
		}
		s.tables = append(s.tables, t)
	}
	// A global table's replicas in other regions come next, then the
	// global secondary indexes of all of them, so that a table's index in
	// the service is its place in cfgs.
	for _, t := range s.tables[:len(cfgs)] {
		if len(t.cfg.Replicas) > 1 {
			if err := s.addReplicas(t); err != nil {
				return nil, err
			}
		}
	}
	tables := len(s.tables)
	for _, t := range s.tables[:tables] {
		if err := t.checkIndexes(); err != nil {
			return nil, err
		}
		t.indexes = make([]*Table, len(t.cfg.Indexes))
		for i, ic := range t.cfg.Indexes {
			if ic.Local {
				continue
			}
			x := newIndexTable(len(s.tables), t, i, &s.params)
			t.indexes[i] = x
			s.tables = append(s.tables, x)
		}
		t.loadLocalIndexes()
	}
	for _, t := range s.tables[:tables] {
		if t.cfg.Stream != nil {
			t.stream = stream.New(*t.cfg.Stream, len(t.parts), t.cfg.Schema.SortKey != "", t, s.draw)
		}
		// A global table's items expire in its home region, whose
		// deletions replicate (REFERENCE: global, ttl).
		if t.cfg.TTL != nil && (t.global == nil || t.global.replicas[0] == t) {
			if t.cfg.TTL.ExpireAfter < 0 {
				panic(fmt.Sprintf("model: table %s: negative TTL %v", t.cfg.Name, t.cfg.TTL.ExpireAfter))
			}
			t.ttl = ttl.New(*t.cfg.TTL, t.store, ttl.Preload{Count: t.cfg.ItemCount, PerKey: t.cfg.ItemsPerKey},
				s.params.TTLDeleteWithin, s.draw, ttlDeleter{s, t})
		}
	}
	s.seq = 0x2545f4914f6cdd1d
	return s, nil
}

// Seed sets the generator of the model's own decisions (which overwrites
// change an index key, which change a projected attribute), apart from the
// latency draws. A service not seeded uses a fixed seed.
func (s *Service) Seed(seed uint64) { s.seq = seed }

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
// service time (REFERENCE: latency). A batch_get or batch_write is served
// part by part and may come back partly processed: see handleBatch. It
// does not allocate.
func (s *Service) Handle(now sim.Time, req *Request) Response {
	if len(s.faults) > 0 && !s.Available(req.Table, now) {
		// The region is down: the request fails as a connection to it
		// would, at once, and the client retries or fails over.
		return Response{Error: ErrRegionUnavailable, Latency: s.latency.ThrottleTime(s.rng)}
	}
	if req.ViaDAX {
		if c := s.tables[req.Table].dax; c != nil {
			return s.handleDAX(now, req, c)
		}
	}
	return s.serve(now, req)
}

// serve is Handle without DAX: the table (or its index) serves the request.
func (s *Service) serve(now sim.Time, req *Request) Response {
	if req.Index > 0 && (req.Op == units.OpQuery || req.Op == units.OpScan) {
		return s.serveIndexRead(now, req)
	}
	switch req.Op {
	case units.OpBatchGet, units.OpBatchWrite:
		return s.handleBatch(now, req)
	case units.OpTransactGet, units.OpTransactWrite:
		return s.handleTransact(now, req)
	}
	t := s.tables[req.Table]
	st := t.store
	var (
		cost      units.Units
		readBytes int
		newSize   int
		cursor    store.ScanCursor
		hash      = store.HashKey(req.Key)
		plan      *indexPlan
		// oldSize and oldExisted are the item a write replaces.
		oldSize    int
		oldExisted bool
	)
	switch req.Op {
	case units.OpGet:
		size, _ := st.SizeOfHashed(req.Key, hash, req.SortIndex)
		cost, readBytes = units.ReadUnits(size, req.Consistency), size
	case units.OpPut, units.OpUpdate:
		old, _, keyGen, existed := st.ItemVersionHashed(req.Key, hash, req.SortIndex)
		oldSize, oldExisted = old, existed
		newSize = req.Size
		cost = units.PutUnits(old, newSize, existed)
		if req.ConditionFails {
			cost = units.ConditionalFailureUnits(old, existed, newSize)
		} else if len(t.cfg.Indexes) > 0 {
			if req.Given {
				plan = s.givenPlan(t, req.IndexWrites)
			} else {
				plan = s.planIndexes(t, hash, req.SortIndex, old, existed, keyGen, newSize, false)
			}
			cost += plan.local
		}
	case units.OpDelete:
		old, _, keyGen, existed := st.ItemVersion(req.Key, req.SortIndex)
		oldSize, oldExisted = old, existed
		cost = units.DeleteUnits(old, existed)
		if req.ConditionFails {
			cost = units.ConditionalFailureUnits(old, existed, old)
		} else if len(t.cfg.Indexes) > 0 {
			if req.Given {
				plan = s.givenPlan(t, req.IndexWrites)
			} else {
				plan = s.planIndexes(t, hash, req.SortIndex, old, existed, keyGen, 0, true)
			}
			cost += plan.local
		}
	case units.OpQuery, units.OpScan:
		if req.Given {
			readBytes, hash = req.ReadBytes, req.ReadHash
		} else if req.Op == units.OpQuery {
			_, readBytes = st.QueryFromSized(req.Key, req.SortFrom, req.Limit)
		} else {
			cursor = *req.Cursor
			_, readBytes = st.ScanSized(&cursor, req.Limit)
			hash = req.Cursor.Hash()
		}
		cost = units.QueryUnits(readBytes, req.Consistency)
		if req.Op == units.OpScan {
			cost = units.ScanUnits(readBytes, req.Consistency)
		}
	default:
		panic(fmt.Sprintf("model: operation %v is not modelled", req.Op))
	}

	write := req.Op.IsWrite()
	pi := t.PartitionOf(hash)
	if write && t.txLocked(now, hash, req.SortIndex) {
		// The item is part of a transaction in progress.
		return Response{Error: ErrTransactionConflict, Latency: s.latency.Service(s.rng, req.Op, req.Consistency, 0)}
	}
	if write && t.global != nil && t.global.strongWriteConflict(now, t, store.ItemHash(hash, req.SortIndex)) {
		return Response{Error: ErrReplicatedWriteConflict, Latency: s.latency.Service(s.rng, req.Op, req.Consistency, 0)}
	}
	if plan != nil && t.hasLocalIndexes() && t.collectionTooLarge(req.Key, plan, oldSize, oldExisted, newSize) {
		return Response{Error: ErrItemCollectionTooLarge, Latency: s.latency.Service(s.rng, req.Op, req.Consistency, 0)}
	}
	if !t.admitPlanned(now, pi, hash, write, req.Consistency, cost, plan, &s.ev) {
		return s.throttled(now, req.Op)
	}
	if req.Op == units.OpGet && t.global != nil {
		s.readGlobal(now, t, store.ItemHash(hash, req.SortIndex), req.Consistency)
	}

	p := &t.parts[pi]
	switch {
	case req.ConditionFails && write:
		// REFERENCE: units — a failed condition still consumes write
		// units, and changes nothing.
	case req.Op == units.OpPut, req.Op == units.OpUpdate:
		old, existed := st.PutSizedHashed(req.Key, hash, req.SortIndex, newSize)
		p.bytes += int64(newSize - old)
		t.wrote(hash)
		s.changed(now, t, req.Key, req.SortIndex, hash, old, existed, newSize, false)
	case req.Op == units.OpDelete:
		old, existed := st.DeleteSized(req.Key, req.SortIndex)
		p.bytes -= int64(old)
		if existed {
			t.wrote(hash)
			s.changed(now, t, req.Key, req.SortIndex, hash, old, true, 0, true)
		}
	case req.Op == units.OpScan && !req.Given:
		*req.Cursor = cursor
	}
	if plan != nil {
		if req.Op != units.OpDelete && plan.keyGenChanged {
			st.SetKeyGenHashed(req.Key, hash, req.SortIndex, plan.keyGen)
		}
		plan.commit(now, t, s.rec, st.Writes())
	}
	resp := Response{Latency: s.latency.Service(s.rng, req.Op, req.Consistency, readBytes), readBytes: readBytes}
	if plan != nil {
		resp.IndexWrite = plan.globalCost()
	}
	if write && t.global != nil && t.global.strong {
		resp.Latency += s.strongWriteDelay(t)
	}
	resp.ConditionFailed = req.ConditionFails && write
	if resp.ConditionFailed {
		resp.Error = ErrConditionalCheckFailed
	}
	if write {
		resp.Write = cost
	} else {
		resp.Read = cost
	}
	s.rec.Consumed(now, req.Table, pi, resp.Read, resp.Write)
	return resp
}

// changed reports an applied write of a client to the item at (key, sk)
// of t, old bytes before (existed) and size bytes after, or its deletion,
// to the stream, replication and TTL, when t has any of them.
func (s *Service) changed(now sim.Time, t *Table, key []byte, sk int64, hash uint64, old int, existed bool, size int, del bool) {
	if t.stream == nil && t.global == nil && t.ttl == nil {
		return
	}
	c := change{t: t, Change: store.Change{Key: key, SK: sk, PKHash: hash, Kind: store.ChangeInsert, OldSize: old, NewSize: size, At: now}}
	switch {
	case del:
		c.Kind = store.ChangeRemove
	case existed:
		c.Kind = store.ChangeModify
	}
	if !del {
		_, c.Ver, _, _ = t.store.ItemVersionHashed(key, hash, sk)
	}
	s.applied(now, &c)
}

// ttlDelete deletes an expired item of t for its TTL (REFERENCE: ttl):
// free of write units, its index entries going with it, logged in the
// stream as a deletion by the service, and replicated. It reports whether
// the item was there.
func (s *Service) ttlDelete(now sim.Time, t *Table, key []byte, sk int64) bool {
	st := t.store
	old, _, keyGen, existed := st.ItemVersion(key, sk)
	if !existed {
		return false
	}
	hash := store.HashKey(key)
	var plan *indexPlan
	if len(t.cfg.Indexes) > 0 {
		plan = s.planIndexes(t, hash, sk, old, true, keyGen, 0, true)
	}
	st.DeleteSized(key, sk)
	t.parts[t.PartitionOf(hash)].bytes -= int64(old)
	t.wrote(hash)
	if plan != nil {
		// The entries go without charge, as the deletion does.
		commitIndexWrites(now, s.rec, nil, plan.changes[:plan.nc], st.Writes())
		t.lsiEntries += plan.lsiEntries
		t.lsiBytes += plan.lsiBytes
	}
	s.applied(now, &change{t: t, Change: store.Change{Key: key, SK: sk, PKHash: hash, Kind: store.ChangeRemove, OldSize: old,
		At: now, Service: true}})
	return true
}

// ttlDeleter deletes a table's expired items for its TTL.
type ttlDeleter struct {
	s *Service
	t *Table
}

func (d ttlDeleter) Delete(now sim.Time, key []byte, sk int64) bool {
	return d.s.ttlDelete(now, d.t, key, sk)
}

// LastThrottle is the throttle the last request Handle refused: which
// table or index, which partition and limit. It is valid until the next
// call to Handle, and meaningless after an admitted request.
func (s *Service) LastThrottle() *ThrottleEvent { return &s.ev }

// throttled reports the throttle in s.ev to the recorder and answers it.
func (s *Service) throttled(now sim.Time, op units.Op) Response {
	s.ev.Op = op
	s.rec.Throttle(now, &s.ev)
	return Response{Reason: s.ev.Reason, Latency: s.latency.ThrottleTime(s.rng)}
}

// Start schedules what the service does on its own until the run ends at
// until: each table's 1-minute tick (auto scaling, on-demand peak
// tracking, splits), its scheduled capacity changes, and the per-second
// timeline sample.
func (s *Service) Start(sched Scheduler, until sim.Time) {
	s.sched = sched
	sched.Every(sim.Second, sim.Second, until, sim.HandlerFunc(s.sampleTick))
	sched.Every(sim.Minute, sim.Minute, until, sim.HandlerFunc(s.minuteTick))
	s.replication = rand.New(rand.NewPCG(s.seq, 0x676c6f62616c)) // "global"
	for _, t := range s.tables {
		if t.stream != nil {
			t.stream.Start(sched, until)
		}
		if t.ttl != nil {
			t.ttl.Start(sched, until)
		}
	}
	for _, t := range s.tables {
		for _, c := range t.cfg.Schedule {
			if c.At > until {
				continue
			}
			sched.At(c.At, sim.HandlerFunc(func(now sim.Time) {
				t.request(now, c, "schedule", s.rec, sched)
			}))
		}
	}
}

// Settle puts on the meters what requests consumed after the last
// per-second sample, as retries finish after the run's end.
func (s *Service) Settle() { s.SettleAt(0) }

// SettleAt is Settle for a run that reached end: the time between the
// last per-second sample and end (a run of 2.5 s has its last half
// second, a run shorter than a second all of it) is billed too, so that
// provisioned capacity, storage and DAX nodes are paid for every moment
// the run covered and its monthly projection is not $0.
func (s *Service) SettleAt(end sim.Time) {
	dt := max(0, end-s.metered)
	for _, t := range s.tables {
		t.meter(end, dt)
	}
	s.metered = max(s.metered, end)
}

func (s *Service) sampleTick(now sim.Time) {
	s.metered = now
	for i, t := range s.tables {
		if !t.dropped {
			t.meter(now, sim.Second)
		}
		st := t.sample(now)
		st.Cache, st.Consumers = nil, nil
		if c := t.dax; c != nil && c.tables[0] == i {
			st.Cache = c.sample()
		}
		if t.stream != nil {
			st.Consumers = t.stream.Sample(now)
		}
		s.rec.Sample(now, i, st)
	}
}

// minuteTick takes each table's 1-minute datapoint, the grain of the
// service's own metrics (REFERENCE: throttling, "Metrics at 1-minute
// grain").
func (s *Service) minuteTick(now sim.Time) {
	for _, t := range s.tables {
		reads := t.minuteRead.Float() / sim.Minute.Seconds()
		writes := t.minuteWrite.Float() / sim.Minute.Seconds()
		refusedReads := t.minuteRefusedRead.Float() / sim.Minute.Seconds()
		refusedWrites := t.minuteRefusedWrite.Float() / sim.Minute.Seconds()
		t.minuteRead, t.minuteWrite = 0, 0
		t.minuteRefusedRead, t.minuteRefusedWrite = 0, 0
		t.noteServed(reads, writes)
		switch t.cfg.Mode {
		case Provisioned:
			t.autoScaleTick(now, reads, writes, s.rec, s.sched)
		case OnDemand:
			if s.params.OnDemandPeakCountsThrottled {
				// The peak follows the traffic offered (Params).
				t.onDemandTick(now, reads+refusedReads, writes+refusedWrites, s.rec)
			} else {
				t.onDemandTick(now, reads, writes, s.rec)
			}
		}
		t.heatTick(now, s.rec)
		t.splitForSize(now, s.rec)
	}
}

// Supported reports whether Handle models the operation yet.
func Supported(op units.Op) bool {
	switch op {
	case units.OpGet, units.OpPut, units.OpUpdate, units.OpDelete, units.OpQuery, units.OpScan, units.OpBatchGet, units.OpBatchWrite, units.OpTransactGet, units.OpTransactWrite:
		return true
	}
	return false
}
