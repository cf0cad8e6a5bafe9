package model

import "github.com/ddbsim/ddbsim/sim"

// Streams (REFERENCE: streams): a table's time-ordered log of item changes,
// kept 24 hours, in shards that follow the table's partitions, read by
// consumers that can fall behind.

// StreamRetention is how long a stream keeps a record (REFERENCE: streams).
const StreamRetention = 24 * sim.Hour

// StreamView is what a stream record holds of its item.
type StreamView uint8

const (
	StreamKeysOnly StreamView = iota + 1
	StreamNewImage
	StreamOldImage
	StreamNewAndOldImages
)

var streamViewNames = [...]string{"", "keys_only", "new_image", "old_image", "new_and_old_images"}

func (v StreamView) String() string {
	if int(v) < len(streamViewNames) {
		return streamViewNames[v]
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

// StreamConfig is a table's stream.
type StreamConfig struct {
	View      StreamView
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
