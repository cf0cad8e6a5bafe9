package wire

import (
	"slices"
	"strings"
)

// The X-Amz-Target prefixes: the DynamoDB API's and the Streams API's.
const (
	TargetPrefix        = "DynamoDB_20120810."
	StreamsTargetPrefix = "DynamoDBStreams_20120810."
)

// inputs makes each served operation's request shape, by X-Amz-Target.
var inputs = map[string]func() any{
	TargetPrefix + "CreateTable":             func() any { return new(CreateTableInput) },
	TargetPrefix + "DescribeTable":           func() any { return new(DescribeTableInput) },
	TargetPrefix + "UpdateTable":             func() any { return new(UpdateTableInput) },
	TargetPrefix + "DeleteTable":             func() any { return new(DeleteTableInput) },
	TargetPrefix + "ListTables":              func() any { return new(ListTablesInput) },
	TargetPrefix + "UpdateTimeToLive":        func() any { return new(UpdateTimeToLiveInput) },
	TargetPrefix + "DescribeTimeToLive":      func() any { return new(DescribeTimeToLiveInput) },
	TargetPrefix + "DescribeLimits":          func() any { return new(DescribeLimitsInput) },
	TargetPrefix + "DescribeEndpoints":       func() any { return new(DescribeEndpointsInput) },
	TargetPrefix + "GetItem":                 func() any { return new(GetItemInput) },
	TargetPrefix + "PutItem":                 func() any { return new(PutItemInput) },
	TargetPrefix + "UpdateItem":              func() any { return new(UpdateItemInput) },
	TargetPrefix + "DeleteItem":              func() any { return new(DeleteItemInput) },
	TargetPrefix + "Query":                   func() any { return new(QueryInput) },
	TargetPrefix + "Scan":                    func() any { return new(ScanInput) },
	TargetPrefix + "BatchGetItem":            func() any { return new(BatchGetItemInput) },
	TargetPrefix + "BatchWriteItem":          func() any { return new(BatchWriteItemInput) },
	TargetPrefix + "TransactGetItems":        func() any { return new(TransactGetItemsInput) },
	TargetPrefix + "TransactWriteItems":      func() any { return new(TransactWriteItemsInput) },
	StreamsTargetPrefix + "ListStreams":      func() any { return new(ListStreamsInput) },
	StreamsTargetPrefix + "DescribeStream":   func() any { return new(DescribeStreamInput) },
	StreamsTargetPrefix + "GetShardIterator": func() any { return new(GetShardIteratorInput) },
	StreamsTargetPrefix + "GetRecords":       func() any { return new(GetRecordsInput) },
}

// NewInput returns a new, empty request shape (a pointer to
// GetItemInput, ...) for an X-Amz-Target such as
// "DynamoDB_20120810.GetItem", to pass to DecodeRequest; nil and an
// UnknownOperationException for a target the server does not serve.
func NewInput(target string) (any, *Error) {
	if newInput, ok := inputs[target]; ok {
		return newInput(), nil
	}
	op := target
	if i := strings.LastIndexByte(target, '.'); i >= 0 {
		op = target[i+1:]
	}
	return nil, Errorf(UnknownOperationException, "Operation %s is not supported by this server", op)
}

// Targets returns every served X-Amz-Target, sorted.
func Targets() []string {
	out := make([]string, 0, len(inputs))
	for t := range inputs {
		out = append(out, t)
	}
	slices.Sort(out)
	return out
}
