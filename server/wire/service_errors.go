package wire

import "strings"

// The service's messages for the errors the model decides, as the API
// reference and the service's responses word them.
const (
	MsgResourceNotFound          = "Requested resource not found"
	MsgConditionalCheckFailed    = "The conditional request failed"
	MsgTableThroughputExceeded   = "The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API."
	MsgIndexThroughputExceeded   = "The level of configured provisioned throughput for one or more global secondary indexes of the table was exceeded. Consider increasing your provisioning level for the under-provisioned global secondary indexes with the UpdateTable API"
	MsgOnDemandTableThrottled    = "Throughput exceeds the current capacity of your table or index. DynamoDB is automatically scaling your table or index so please try again shortly. If exceptions persist, check if you have a hot key: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html."
	MsgOnDemandIndexThrottled    = "Throughput exceeds the current capacity for one or more global secondary indexes. DynamoDB is automatically scaling your index so please try again shortly."
	MsgRequestLimitExceeded      = "Throughput exceeds the current throughput limit for your account. Please contact AWS Support at https://aws.amazon.com/support request a limit increase"
	MsgInternalServerError       = "Internal server error"
	msgTransactionCanceledPrefix = "Transaction cancelled, please refer cancellation reasons for specific reasons ["
	msgTransactionCanceledSuffix = "]"
)

// The parts of a ThrottlingReason's Reason: resource type, operation type
// and limit type, concatenated ("Table" + "Write" +
// "ProvisionedThroughputExceeded").
const (
	ThrottledTable = "Table"
	ThrottledIndex = "Index"

	ThrottledRead  = "Read"
	ThrottledWrite = "Write"

	// LimitProvisioned: a provisioned table's or GSI's capacity.
	LimitProvisioned = "ProvisionedThroughputExceeded"
	// LimitAccount: an on-demand table's or GSI's per-table account quota.
	LimitAccount = "AccountLimitExceeded"
	// LimitKeyRange: one partition's throughput (a hot key).
	LimitKeyRange = "KeyRangeThroughputExceeded"
	// LimitMaxOnDemand: the maximum throughput set on an on-demand table
	// or index.
	LimitMaxOnDemand = "MaxOnDemandThroughputExceeded"
)

// Throttled returns the reason a table or index (resource: ThrottledTable
// or ThrottledIndex) with the ARN was throttled for reads or writes
// (ThrottledRead, ThrottledWrite) at a limit (LimitProvisioned, ...).
func Throttled(resource, operation, limit, arn string) ThrottlingReason {
	return ThrottlingReason{Reason: resource + operation + limit, Resource: arn}
}

// ConditionalCheckFailed is the error of a failed condition; item, when
// not nil, is returned with it (ReturnValuesOnConditionCheckFailure
// ALL_OLD on an existing item).
func ConditionalCheckFailed(item *Item) *Error {
	return &Error{Type: ConditionalCheckFailedException, Message: MsgConditionalCheckFailed, Item: item}
}

// ResourceNotFound is the error for a table, index or stream that does
// not exist.
func ResourceNotFound() *Error {
	return &Error{Type: ResourceNotFoundException, Message: MsgResourceNotFound}
}

// TransactionCanceled is the error of a cancelled transaction, with one
// reason per item in request order ("None" for the items that did not
// cause it). Its message lists the codes, as the service's does.
func TransactionCanceled(reasons []CancellationReason) *Error {
	var b strings.Builder
	b.WriteString(msgTransactionCanceledPrefix)
	for i, r := range reasons {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(r.Code)
	}
	b.WriteString(msgTransactionCanceledSuffix)
	return &Error{Type: TransactionCanceledException, Message: b.String(), CancellationReasons: reasons}
}
