package wire

// The Streams API's shapes (target prefix DynamoDBStreams_20120810).
// Member names are the API's; a stream record's own members are lower
// case (eventID, eventName, dynamodb, ...), as in the API.

// Stream names one stream of a table.
type Stream struct {
	StreamArn   string `json:"StreamArn"`
	TableName   string `json:"TableName"`
	StreamLabel string `json:"StreamLabel"`
}

// ListStreamsInput is ListStreams's request: the streams of TableName
// (every table's if empty) after ExclusiveStartStreamArn, at most Limit.
type ListStreamsInput struct {
	TableName               string `json:"TableName,omitempty"`
	Limit                   *int   `json:"Limit,omitempty"`
	ExclusiveStartStreamArn string `json:"ExclusiveStartStreamArn,omitempty"`
}

// ListStreamsOutput is ListStreams's response.
type ListStreamsOutput struct {
	Streams                []Stream `json:"Streams,omitzero"`
	LastEvaluatedStreamArn string   `json:"LastEvaluatedStreamArn,omitempty"`
}

// ShardFilter restricts DescribeStream to the children of one shard
// (Type "CHILD_SHARDS").
type ShardFilter struct {
	Type    string `json:"Type,omitempty"`
	ShardID string `json:"ShardId,omitempty"`
}

// DescribeStreamInput is DescribeStream's request.
type DescribeStreamInput struct {
	StreamArn             string       `json:"StreamArn"`
	Limit                 *int         `json:"Limit,omitempty"`
	ExclusiveStartShardID string       `json:"ExclusiveStartShardId,omitempty"`
	ShardFilter           *ShardFilter `json:"ShardFilter,omitempty"`
}

// SequenceNumberRange is the sequence numbers a shard holds; an open
// shard has no EndingSequenceNumber.
type SequenceNumberRange struct {
	StartingSequenceNumber string `json:"StartingSequenceNumber,omitempty"`
	EndingSequenceNumber   string `json:"EndingSequenceNumber,omitempty"`
}

// Shard is one shard of a stream.
type Shard struct {
	ShardID             string              `json:"ShardId"`
	SequenceNumberRange SequenceNumberRange `json:"SequenceNumberRange"`
	ParentShardID       string              `json:"ParentShardId,omitempty"`
}

// StreamDescription is a stream as DescribeStream reports it;
// StreamStatus is "ENABLING", "ENABLED", "DISABLING" or "DISABLED".
type StreamDescription struct {
	StreamArn               string             `json:"StreamArn"`
	StreamLabel             string             `json:"StreamLabel"`
	StreamStatus            string             `json:"StreamStatus"`
	StreamViewType          string             `json:"StreamViewType"`
	CreationRequestDateTime float64            `json:"CreationRequestDateTime,omitempty"`
	TableName               string             `json:"TableName"`
	KeySchema               []KeySchemaElement `json:"KeySchema"`
	Shards                  []Shard            `json:"Shards,omitzero"`
	LastEvaluatedShardID    string             `json:"LastEvaluatedShardId,omitempty"`
}

// DescribeStreamOutput is DescribeStream's response.
type DescribeStreamOutput struct {
	StreamDescription *StreamDescription `json:"StreamDescription,omitempty"`
}

// GetShardIteratorInput is GetShardIterator's request: ShardIteratorType
// is "TRIM_HORIZON", "LATEST", "AT_SEQUENCE_NUMBER" or
// "AFTER_SEQUENCE_NUMBER" (the last two with SequenceNumber).
type GetShardIteratorInput struct {
	StreamArn         string `json:"StreamArn"`
	ShardID           string `json:"ShardId"`
	ShardIteratorType string `json:"ShardIteratorType"`
	SequenceNumber    string `json:"SequenceNumber,omitempty"`
}

// GetShardIteratorOutput is GetShardIterator's response.
type GetShardIteratorOutput struct {
	ShardIterator string `json:"ShardIterator,omitempty"`
}

// GetRecordsInput is GetRecords's request: at most Limit (1 to 1,000)
// records from the iterator's position.
type GetRecordsInput struct {
	ShardIterator string `json:"ShardIterator"`
	Limit         *int   `json:"Limit,omitempty"`
}

// StreamRecord is the change a record describes: the keys, and the images
// the stream's view type asks for.
type StreamRecord struct {
	ApproximateCreationDateTime float64 `json:"ApproximateCreationDateTime,omitempty"`
	Keys                        *Item   `json:"Keys,omitempty"`
	NewImage                    *Item   `json:"NewImage,omitempty"`
	OldImage                    *Item   `json:"OldImage,omitempty"`
	SequenceNumber              string  `json:"SequenceNumber,omitempty"`
	SizeBytes                   int64   `json:"SizeBytes,omitempty"`
	StreamViewType              string  `json:"StreamViewType,omitempty"`
}

// Identity says who made a change: TTL deletions carry PrincipalId
// "dynamodb.amazonaws.com" and Type "Service".
type Identity struct {
	PrincipalID string `json:"PrincipalId,omitempty"`
	Type        string `json:"Type,omitempty"`
}

// Record is one stream record: EventName is "INSERT", "MODIFY" or
// "REMOVE", EventSource "aws:dynamodb".
type Record struct {
	EventID      string       `json:"eventID,omitempty"`
	EventName    string       `json:"eventName,omitempty"`
	EventVersion string       `json:"eventVersion,omitempty"`
	EventSource  string       `json:"eventSource,omitempty"`
	AwsRegion    string       `json:"awsRegion,omitempty"`
	Dynamodb     StreamRecord `json:"dynamodb"`
	UserIdentity *Identity    `json:"userIdentity,omitempty"`
}

// GetRecordsOutput is GetRecords's response; NextShardIterator is absent
// once a closed shard is read to its end.
type GetRecordsOutput struct {
	Records           []Record `json:"Records,omitzero"`
	NextShardIterator string   `json:"NextShardIterator,omitempty"`
}
