package stream

import "github.com/ddbsim/ddbsim/sim"

// Retention is how long a stream keeps a record (REFERENCE: streams).
const Retention = 24 * sim.Hour

// View is what a stream record holds of its item.
type View uint8

const (
	KeysOnly View = iota + 1
	NewImage
	OldImage
	NewAndOldImages
)

var viewNames = [...]string{"", "keys_only", "new_image", "old_image", "new_and_old_images"}

func (v View) String() string {
	if int(v) < len(viewNames) {
		return viewNames[v]
	}
	return "view(?)"
}

// ConsumerKind is how a consumer reads a stream, which decides whether its
// reads are billed (REFERENCE: streams, "reads by Lambda triggers and
// global-table replication are free").
type ConsumerKind uint8

const (
	// ConsumerLambda is a Lambda trigger: its event source mapping polls
	// every shard; its reads are free.
	ConsumerLambda ConsumerKind = iota + 1
	// ConsumerClient is an application reading with GetRecords (the
	// Kinesis Client Library adapter, say): every GetRecords call is a
	// billed stream read request unit.
	ConsumerClient
)

func (k ConsumerKind) String() string {
	if k == ConsumerClient {
		return "client"
	}
	return "lambda"
}

// ConsumerConfig describes a stream consumer as a scenario declares it.
type ConsumerConfig struct {
	Name string
	Kind ConsumerKind
	// BatchSize is the most records one batch takes (Lambda: 1 to
	// 10,000, default 100; a client: one GetRecords call, at most 1,000).
	BatchSize int
	// Parallelization is how many batches of one shard are processed at
	// once (Lambda's parallelization factor, 1 to 10); records of one
	// item stay in order.
	Parallelization int
	// ProcessingTime is how long the consumer takes over one batch.
	ProcessingTime sim.Time
	// FailureRatio is the share of batches that fail and are retried
	// whole, as Lambda retries a failed batch until it succeeds or its
	// records leave the stream.
	FailureRatio float64
}

// Config is a table's stream.
type Config struct {
	View      View
	Consumers []ConsumerConfig
}

// ConsumerState is one consumer of a table's stream at one instant.
type ConsumerState struct {
	Name string
	// IteratorAge is how old the oldest record the consumer has not yet
	// processed is (0 when it has caught up): its lag.
	IteratorAge sim.Time
	// Backlog is the records written and not yet processed.
	Backlog int64
	// Cumulative: records the stream took, records the consumer
	// processed, batches it retried, records it lost to retention, and
	// its GetRecords calls (billed for a client consumer only: a Lambda
	// trigger's are free).
	Records, Processed, Retries, Lost, ReadUnits int64
}
