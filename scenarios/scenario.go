package scenarios

import (
	"time"

	"github.com/ddbsim/ddbsim/threshold"
	"github.com/ddbsim/ddbsim/workload/trace"
)

// The schema: every type a scenario file reads into, in one place. The
// parse_*.go files read the YAML into them, key by key, with positions
// for errors; docs/scenario-format.md documents each key.

// Scenario is a parsed, validated scenario file with every unit resolved.
// Durations are spans of virtual time; time.Duration is used only as a unit.
type Scenario struct {
	File        string // where it was read from ("scenarios/flash-sale.yaml", "flash-sale (built-in)")
	Version     int
	Name        string
	Description string
	Seed        uint64
	HasSeed     bool // the file set a seed
	Duration    time.Duration
	Region      string // "us-east-1" when absent
	Tables      []Table
	Client      Client
	Latency     map[string]LatencySpec // per operation name ("get"); overrides model defaults
	Service     ServiceParams          // overrides of the model's unpublished parameters
	Prices      Prices                 // overrides of the price data
	// DAX is the top-level DAX cluster, shared by the tables it lists
	// (by default every table without a dax: of its own); nil when absent
	// (parse_dax.go).
	DAX *DAX
	// Faults are region outages the run injects, in file order
	// (parse_global.go).
	Faults     []Fault
	Workloads  []Workload
	Thresholds []Threshold
	// History is what CloudWatch recorded for the scenario's tables over
	// the window it was imported from (history:), for compare's
	// reconstruction check; nil when absent (parse_history.go).
	History *History
	// Notes say what the scenario asked for that ddbsim approximates or
	// ignores (properties of a YCSB file it cannot map); they are not
	// errors, and a run prints them.
	Notes []string
}

// Pos is a place in the scenario file, for messages about it.
type Pos struct{ Line, Col int }

// Table is one table of the scenario.
type Table struct {
	Pos           Pos
	Name          string
	PartitionKey  string
	SortKey       string // "" when the table has none
	Mode          string // "provisioned" | "on-demand"
	ReadCapacity  int64  // provisioned only; RCU
	WriteCapacity int64  // provisioned only; WCU
	AutoScaling   *AutoScaling
	PreviousPeak  *Peak
	Items         Items
	TableClass    string // "standard" | "standard-ia"
	// Partitions raises the initial partition count (a table scaled up
	// before keeps its partitions); 0 when absent.
	Partitions int64
	// CapacityChanges are planned capacity updates (provisioned only).
	CapacityChanges []CapacityChange
	// Reserved is reserved capacity bought for the table; nil when absent.
	Reserved *Reserved
	// WarmThroughput and MaxThroughput are an on-demand table's raised
	// warm throughput and its maximum setting, in units per second; nil
	// when absent.
	WarmThroughput, MaxThroughput *Peak
	// Indexes are the table's secondary indexes, in file order
	// (parse_indexes.go).
	Indexes []Index
	// DAX is the table's own DAX cluster, named "<table>-dax" unless it
	// says otherwise; nil when absent (parse_dax.go).
	DAX *DAX
	// Stream is the table's stream and its consumers, and TTL its time to
	// live; nil when absent (parse_streams.go). A global table's replicas
	// have them too.
	Stream *Stream
	TTL    *TTL
	// Replicas make it a global table: its regions, the home region (the
	// scenario's) first; nil for a table in one region. ReplicationLag
	// is the lag between every two of them (nil: the service's default),
	// ReplicationLags that of given pairs, one way; StrongConsistency is
	// multi_region_consistency: strong (parse_global.go).
	Replicas          []string
	ReplicationLag    *LatencySpec
	ReplicationLags   []ReplicationLag
	StrongConsistency bool
}

// Reserved is reserved capacity (REFERENCE: provisioned): units in blocks
// of 100, for a term of "1y" or "3y".
type Reserved struct {
	ReadCapacity, WriteCapacity int64
	Term                        string
}

// CapacityChange is a planned UpdateTable: new provisioned capacity, a
// switch of capacity mode, or both.
type CapacityChange struct {
	Pos                         Pos
	At                          time.Duration
	ReadCapacity, WriteCapacity int64  // 0 keeps the current value
	Mode                        string // "" keeps the mode; "provisioned" | "on-demand"
}

// ServiceParams override the model's parameters for behaviour the service
// does not publish numbers for; a nil field keeps the default.
type ServiceParams struct {
	BurstWindow     *time.Duration
	BurstStartsFull *bool
	Adaptive        *bool
	HeatThreshold   *float64 // fraction
	HeatSustain     *time.Duration
	HeatSplitDelay  *time.Duration
	HotKeyShare     *float64 // fraction
	OnDemandCatchUp *time.Duration
	UpdateDelay     *time.Duration
	TableReadQuota  *int64
	TableWriteQuota *int64
	// OnDemandPeakCountsThrottled: the on-demand peak follows offered
	// traffic (true) or only admitted traffic (false).
	OnDemandPeakCountsThrottled *bool
	// TTLDeleteWithin is how long after expiring an item may wait for the
	// background deletion (REFERENCE: ttl).
	TTLDeleteWithin *time.Duration
	// DAXCacheMemory and DAXItemCacheShare: fractions.
	DAXCacheMemory, DAXItemCacheShare *float64
	// GlobalStorageOverhead is the bytes a global table's replica adds to
	// each item's billed storage (model.Params.GlobalStorageOverhead).
	GlobalStorageOverhead *int64
	// EventualReadCeiling is the read units a second one partition serves
	// to eventually consistent reads (model.Params.EventualReadCeiling).
	EventualReadCeiling *int64
}

// AutoScaling is target-tracking auto scaling of a provisioned table.
type AutoScaling struct {
	Target   float64 // fraction: 70% -> 0.7
	Min, Max int64
}

// Peak is a previous peak of an on-demand table, in units per second.
type Peak struct {
	Reads, Writes float64
}

// Items are loaded into a table before t=0.
type Items struct {
	Count  int64
	Size   int64 // bytes per item, keys included
	PerKey int64 // items per partition key (tables with a sort key); 1 when absent
}

// Client is how the simulated SDK behaves.
type Client struct {
	Retry   Retry
	Timeout time.Duration // 10s when absent
	// FailoverAfter is how long a client of a global table takes to
	// notice that its region is down, or back: DefaultFailoverAfter when
	// absent.
	FailoverAfter time.Duration
}

// DefaultFailoverAfter is client.failover_after when absent: ddbsim's
// assumption, a health check that takes three failed probes 10 s apart
// to declare a region down (the service publishes no figure).
const DefaultFailoverAfter = 30 * time.Second

// defaultClient is the client of a scenario that says nothing of it.
func defaultClient() Client {
	return Client{Retry: Retry{Policy: "sdk-v2"}, Timeout: 10 * time.Second, FailoverAfter: DefaultFailoverAfter}
}

// Retry is the client's retry policy on throttles.
type Retry struct {
	Policy      string // "sdk-v2" | "legacy" | "none" | "go-v2" | "go-v1" | "js-v3" | "boto3-standard" | "go-v2-adaptive" | "java-v2" | "boto3-legacy" | "custom"
	MaxAttempts int    // custom only
	Base        time.Duration
	MaxBackoff  time.Duration
}

// LatencySpec overrides the service time of one operation: a lognormal
// given by its median and 99th percentile.
type LatencySpec struct {
	Median, P99 time.Duration
}

// Workload is one traffic source: an open loop (Rate, Arrival, Stages),
// whose requests arrive at a rate whatever the responses, or a closed loop
// (Users > 0), whose virtual users each send a request, wait for its final
// response, think and repeat. The two are exclusive.
type Workload struct {
	Pos   Pos
	Name  string
	Table string
	Rate  float64 // open loop: requests per second at t=0 (0 is valid)
	// Series is an open loop's rate given step by step (series:), as an
	// imported history has it; it replaces Rate, Stages and Shape. nil
	// when absent (parse_series.go).
	Series      *Series
	Arrival     string // open loop: "poisson" (default) | "constant"; "" for a closed loop
	Stages      []Stage
	Shape       string     // open loop: how stages join, "ramp" | "step"; "" when absent (ramp)
	Spikes      []Spike    // open loop: the rate multiplied in windows (parse_shapes.go)
	Diurnal     *Diurnal   // open loop: a daily cycle around the rate; nil for none
	Mix         []MixEntry // in file order; weights sum to 1 after normalising
	Keys        Keys
	ItemSize    ItemSize
	Consistency string // "eventual" (default) | "strong"
	QueryLimit  int64  // items per Query page request; 0 = no limit
	// YCSB is the core workload file the workload comes from, nil for
	// others; it decides the mix, keys, item sizes and arrivals.
	YCSB *trace.YCSB
	// Trace is the trace file the workload replays (trace: FILE), nil for
	// others; it replaces rate, stages, users, mix, keys and item_size.
	Trace *TraceSpec
	// Requests stops the workload after that many operations (YCSB's
	// operationcount); 0 for no limit.
	Requests int64
	// ScanMax makes each scan read a uniform number of items from 1 to
	// ScanMax (YCSB's maxscanlength); 0 leaves the limit to query_limit.
	ScanMax int64
	// QueryRange makes each query read a range of that many sort keys at
	// a random place in the item collection; 0 reads from its start.
	QueryRange int64
	// BatchSize is the parts per batch_get and batch_write request: 25
	// when absent, at most 100 with batch_get and 25 with batch_write in
	// the mix; 0 when the mix has no batch operation.
	BatchSize int64
	// Index names the secondary index of the table that the workload's
	// queries and scans go to; "" for the table itself.
	Index string
	// DAX is the workload's dax: setting; nil when absent, which sends
	// its requests through its table's DAX cluster when the table has one.
	DAX *bool
	// Region is the replica of a global table the workload's clients use
	// (parse_global.go); "" when absent: the home region.
	Region string

	// Closed loop only. Users is the number of virtual users, 0 for an
	// open loop. Think is the pause between a user's final response and
	// its next request (the mean of an exponential pause when
	// ThinkDistribution is "exponential"); 0 is valid.
	Users             int64
	Think             time.Duration
	ThinkDistribution string // "fixed" (default) | "exponential"; "" for an open loop
}

// Stage moves the rate linearly from the previous rate to Rate over For.
type Stage struct {
	For  time.Duration
	Rate float64
}

// Series is a workload's arrival rate as a series of steps from t=0:
// Rates[i] requests per second over [i·Step, (i+1)·Step). It is how an
// imported CloudWatch history (one value a minute) becomes traffic.
type Series struct {
	Pos  Pos
	Step time.Duration
	// Rates are requests per second, one per step, each >= 0. A step the
	// file marks as a gap (~, no datapoint) is 0 here and counted in
	// Missing: the scenario says it, the run is not silently filled.
	Rates   []float64
	Missing int
	// Burst is the peak-to-mean ratio within a step, >= 1 (1 when
	// absent): each step's requests arrive in its first Step/Burst at
	// Burst times the step's rate, and none in the rest, so the step's
	// total is kept and its busiest seconds run Burst times hotter. A
	// one-minute metric cannot show second-level peaks; this states one.
	Burst float64
}

// History is what CloudWatch recorded for the scenario's tables over the
// window [From, To) the scenario was imported from: the totals a real
// bill is made of, which compare prices beside the simulated bill.
type History struct {
	Pos      Pos
	From, To time.Time // UTC
	Tables   []TableHistory
}

// TableHistory is one table's recorded totals over the window, its global
// secondary indexes included.
type TableHistory struct {
	Pos   Pos
	Table string // a table of the scenario
	// Mode is the capacity mode the table was billed in over the window:
	// "on-demand" or "provisioned".
	Mode string
	// ReadUnits and WriteUnits are the consumed read and write units
	// (the Sum of ConsumedRead/WriteCapacityUnits) over the window: an
	// on-demand table's billed request units.
	ReadUnits, WriteUnits float64
	// ReadCapacityHours and WriteCapacityHours are provisioned unit-hours
	// (ProvisionedRead/WriteCapacityUnits times the hours each level
	// held): a provisioned table's billed capacity; 0 for on-demand.
	ReadCapacityHours, WriteCapacityHours float64
	// Missing is how many of the window's minutes had no datapoint in
	// the series the totals come from.
	Missing int
}

// MixEntry is one operation's share of a workload.
type MixEntry struct {
	Op     string  // "get", "put", ..., or "insert" | "read_modify_write"
	Weight float64 // fraction: 80% -> 0.8
	// Consistency overrides the workload's for this read operation; "".
	Consistency string
	// ConditionFailure is the share of this write's requests whose
	// condition expression fails (a fraction).
	ConditionFailure float64
}

// Keys chooses which partition key each request touches (parse_keys.go).
type Keys struct {
	// "uniform" (default) | "zipf" | "hotspot" | "latest" | "sequential" | "hot"
	// | "ycsb-zipfian" | "ycsb-latest" (YCSB's own generators)
	Distribution string
	Exponent     float64 // zipf and latest; 0.99 when absent
	Count        int64   // distinct keys; the table's items.count when absent
	// HotKeys is hotspot's hot set, a fraction of the keys (the first
	// ones): 0.2 when absent. HotOps is the fraction of operations that
	// go to the hot set (hotspot: 0.8 when absent) or to the one hot key
	// (hot: 1 when absent). Both are 0 for other distributions; a YCSB
	// workload takes them from its property file.
	HotKeys, HotOps float64
	// Rotate moves key popularity every Rotate (zipf, hotspot and hot);
	// 0 for never.
	Rotate time.Duration
	// Shards spreads each key over that many partition keys (write
	// sharding, 1 to 1000); 0 when absent, which is unsharded.
	Shards int64
}

// ItemSize is the size of items a workload writes.
type ItemSize struct {
	Distribution string // "fixed" | "lognormal" | "uniform"
	Fixed        int64  // bytes
	Median, P99  int64  // bytes, lognormal only
	Min, Max     int64  // bytes, uniform only
}

// Threshold is an SLO on the result, such as p99_ms "< 20", where the file
// wrote it.
type Threshold struct {
	Pos Pos
	threshold.Threshold
}

// DAX is a DAX cluster in front of one or more tables.
type DAX struct {
	Pos      Pos
	Name     string // "dax" for the shared cluster, "<table>-dax" for a table's, when absent
	Nodes    int    // 1 to cache.MaxNodes
	NodeType string // a cache.NodeTypes name, "dax." prefix included
	// ItemTTL and QueryTTL are the caches' times to live:
	// cache.DefaultTTL when absent.
	ItemTTL, QueryTTL time.Duration
	// ItemCacheItems and QueryCacheItems fix the caches' sizes in
	// entries; 0 when absent (sized from the node type's memory).
	ItemCacheItems, QueryCacheItems int64
	// Tables are the tables it serves, in order; the first owns it and is
	// billed its node-hours.
	Tables []string
}

// ReplicationLag is the replication lag from one replica to another.
type ReplicationLag struct {
	Pos         Pos
	From, To    string
	Median, P99 time.Duration
}

// Fault is a region outage: from At, for Outage, the region serves
// nothing.
type Fault struct {
	Pos        Pos
	Region     string
	At, Outage time.Duration
}

// Index is a secondary index of a table.
type Index struct {
	Pos  Pos
	Name string
	// Local makes it a local secondary index (LSI): the table's partition
	// key, its own sort key, the table's partitions and capacity.
	Local bool
	// PartitionKey is the index's partition key attribute (an LSI's is
	// its table's); SortKey is "" when a GSI has none.
	PartitionKey, SortKey string
	Projection            string // "all" (default) | "keys_only" | "include"
	// ProjectedSize is the bytes of one index entry for keys_only
	// (model.DefaultKeysOnlySize when absent) and include; 0 for all,
	// whose entries are as large as their items.
	ProjectedSize int64
	// Keys are the values of a GSI's partition key; zero for an LSI.
	Keys IndexKeys
	// Coverage is the share of items that carry the index key, in (0, 1]:
	// below 1 the index is sparse. 1 when absent.
	Coverage float64
	// KeyChanges is the share of overwrites that change the index key;
	// 0 when absent.
	KeyChanges float64
	// ProjectedChanges is, for include, the share of the other overwrites
	// that change a projected attribute: 1 when absent; 0 for other
	// projections.
	ProjectedChanges float64
	// ReadCapacity and WriteCapacity are a GSI's provisioned capacity on a
	// provisioned table, its table's when absent; 0 otherwise.
	ReadCapacity, WriteCapacity int64
	// AutoScaling scales a GSI of a provisioned table; nil when absent.
	AutoScaling *AutoScaling
}

// IndexKeys are how many distinct values a GSI's partition key takes and
// how popular each is.
type IndexKeys struct {
	// Count is the distinct values: the table's partition keys when
	// absent (items.count / items.per_key, or defaultIndexKeys without
	// items).
	Count        int64
	Distribution string  // "uniform" (default) | "zipf"
	Exponent     float64 // zipf only: 0.99 when absent
}

// Spike multiplies an open loop's rate by Multiplier on [At, At+For).
// Spikes of one workload do not overlap; a multiplier below 1 is a dip.
type Spike struct {
	Pos        Pos
	At, For    time.Duration
	Multiplier float64
}

// Diurnal is a daily cycle of an open loop's rate: the rate is multiplied
// by 1 + a·cos(2π·(hour − PeakHour)/24), a = (Ratio−1)/(Ratio+1), where
// hour is the hour of the day of virtual time, which starts at midnight
// UTC. The peak is Ratio times the trough and the daily mean factor is 1,
// so the workload's rate is its daily mean.
type Diurnal struct {
	PeakHour float64 // in [0, 24), UTC
	Ratio    float64 // peak over trough, >= 1
}

// Stream is a table's stream.
type Stream struct {
	Pos       Pos
	View      string // "keys_only" | "new_image" | "old_image" | "new_and_old_images" (default)
	Consumers []Consumer
}

// Consumer reads a table's stream.
type Consumer struct {
	Pos  Pos
	Name string
	// Kind is "lambda" (default), a Lambda trigger whose reads are free,
	// or "client", an application calling GetRecords, billed per call.
	Kind string
	// BatchSize is the most records one batch takes: 100 for a Lambda
	// trigger when absent (1 to 10,000), 1,000 for a client (1 to 1,000,
	// one GetRecords call).
	BatchSize int64
	// Parallelization is the batches of one shard in progress at once:
	// 1 to 10 for a Lambda trigger, 1 when absent and for a client.
	Parallelization int64
	ProcessingTime  time.Duration // one batch's; required
	FailureRatio    float64       // share of batches that fail, in [0, 1)
}

// TTL is a table's time to live: items expire ExpireAfter after their
// last write, as if every write set Attribute to that time.
type TTL struct {
	Pos         Pos
	Attribute   string
	ExpireAfter time.Duration
}

// TraceSpec is a workload that replays a trace file. Its records give
// each request's time, key, operation and item size.
type TraceSpec struct {
	Pos  Pos    // of the file name
	File string // as written
	Path string // where it is read: relative to the scenario file's directory
	// Open opens Path: when the scenario is loaded, to check the whole
	// trace, and when a replay of it starts. It is the Opener the
	// scenario was parsed with.
	Open   Opener
	Format string  // "csv" (default) | "twitter"
	Speed  float64 // 1 when absent; 10 replays ten times faster, 0.5 at half speed
	Loop   bool    // restart from the first record until the scenario ends
	// MaxInFlight is the most requests the replay's client holds at once
	// (max_in_flight; DefaultMaxInFlight when absent): a record due beyond it
	// waits for one to finish, and its latency counts the wait.
	MaxInFlight int64
	// Records and Period are what reading the whole trace found when the
	// scenario was loaded: its records, and what one pass lasts at 1x
	// (see trace.Reader.Period).
	Records int64
	Period  time.Duration
	// Busiest is the most records within one window of each length, at
	// 1x (trace.Info.Busiest): what a replay has in flight at once.
	Busiest [trace.BusyWindows]int64
}

// Prices overrides the price data for a scenario; nil fields keep it.
type Prices struct {
	ReadRequestUnit, WriteRequestUnit *float64
	RCUHour, WCUHour                  *float64
	StorageGBMonth                    *float64
	// ReplicatedWriteRequestUnit and ReplicatedWCUHour price a global
	// table replica's writes, StreamReadRequestUnit a stream's GetRecords
	// calls; a region without price data bills them at 0 unless given.
	ReplicatedWriteRequestUnit, ReplicatedWCUHour *float64
	StreamReadRequestUnit                         *float64
	// DAXNodeHour overrides the hourly price of a DAX node, by node type
	// (its full name, "dax.r5.large"); nil or missing types keep the data.
	DAXNodeHour map[string]float64
	// FreeTier says whether the always-free tier comes off the bill. Off
	// unless asked for: the free tier is the account's, and a table being
	// planned usually shares its account with others that use it.
	FreeTier bool
	// Month is the month convention ("730h", the default, or "30d"):
	// the hours of a GB-month and of the free tier's monthly allowances,
	// and of the monthly projection (billing.MonthConvention).
	Month string
	// Data replaces the built-in price data file (`--prices FILE`): the
	// same layout, region, then table class, then the priced units.
	Data []byte
	// DataFile names Data in messages.
	DataFile string
}
