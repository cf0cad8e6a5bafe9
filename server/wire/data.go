package wire

// The data plane's shapes: items, queries, batches and transactions.
// Member names are the API's. Optional item members are pointers (nil:
// absent); response lists and maps use omitzero, so that a nil slice or
// map is left out while an empty one is sent as [] or {} (Items of a
// query that matched nothing, UnprocessedItems of a batch that finished).

// Capacity is the units one table or index consumed.
type Capacity struct {
	ReadCapacityUnits  float64 `json:"ReadCapacityUnits,omitempty"`
	WriteCapacityUnits float64 `json:"WriteCapacityUnits,omitempty"`
	CapacityUnits      float64 `json:"CapacityUnits"`
}

// ConsumedCapacity is the units a request consumed, returned when
// ReturnConsumedCapacity is TOTAL (TableName and the totals) or INDEXES
// (also Table and each index by name).
type ConsumedCapacity struct {
	TableName              string              `json:"TableName,omitempty"`
	CapacityUnits          float64             `json:"CapacityUnits"`
	ReadCapacityUnits      float64             `json:"ReadCapacityUnits,omitempty"`
	WriteCapacityUnits     float64             `json:"WriteCapacityUnits,omitempty"`
	Table                  *Capacity           `json:"Table,omitempty"`
	GlobalSecondaryIndexes map[string]Capacity `json:"GlobalSecondaryIndexes,omitempty"`
	LocalSecondaryIndexes  map[string]Capacity `json:"LocalSecondaryIndexes,omitempty"`
}

// ItemCollectionMetrics is the size of the item collection (the items
// under one partition key of a table with local secondary indexes) a
// write touched, returned when ReturnItemCollectionMetrics is SIZE.
type ItemCollectionMetrics struct {
	ItemCollectionKey   *Item     `json:"ItemCollectionKey,omitempty"`
	SizeEstimateRangeGB []float64 `json:"SizeEstimateRangeGB,omitempty"`
}

// ExpectedAttributeValue is one legacy condition of Expected: Value with
// Exists, or ComparisonOperator with AttributeValueList.
type ExpectedAttributeValue struct {
	Value              *AttributeValue  `json:"Value,omitempty"`
	Exists             *bool            `json:"Exists,omitempty"`
	ComparisonOperator string           `json:"ComparisonOperator,omitempty"`
	AttributeValueList []AttributeValue `json:"AttributeValueList,omitempty"`
}

// Condition is one legacy condition of KeyConditions, QueryFilter and
// ScanFilter: ComparisonOperator ("EQ", "BETWEEN", "BEGINS_WITH", ...)
// applied with the values of AttributeValueList.
type Condition struct {
	ComparisonOperator string           `json:"ComparisonOperator"`
	AttributeValueList []AttributeValue `json:"AttributeValueList,omitempty"`
}

// AttributeValueUpdate is one legacy update of AttributeUpdates: Action
// "PUT" (default), "ADD" or "DELETE", with Value.
type AttributeValueUpdate struct {
	Value  *AttributeValue `json:"Value,omitempty"`
	Action string          `json:"Action,omitempty"`
}

// GetItemInput is GetItem's request.
type GetItemInput struct {
	TableName                string            `json:"TableName"`
	Key                      *Item             `json:"Key,omitempty"`
	ConsistentRead           bool              `json:"ConsistentRead,omitempty"`
	ProjectionExpression     string            `json:"ProjectionExpression,omitempty"`
	ExpressionAttributeNames map[string]string `json:"ExpressionAttributeNames,omitempty"`
	AttributesToGet          []string          `json:"AttributesToGet,omitempty"`
	ReturnConsumedCapacity   string            `json:"ReturnConsumedCapacity,omitempty"` // INDEXES, TOTAL or NONE
}

// GetItemOutput is GetItem's response: Item is absent when no item has
// the key.
type GetItemOutput struct {
	Item             *Item             `json:"Item,omitempty"`
	ConsumedCapacity *ConsumedCapacity `json:"ConsumedCapacity,omitempty"`
}

// PutItemInput is PutItem's request.
type PutItemInput struct {
	TableName                           string                            `json:"TableName"`
	Item                                *Item                             `json:"Item,omitempty"`
	ConditionExpression                 string                            `json:"ConditionExpression,omitempty"`
	ExpressionAttributeNames            map[string]string                 `json:"ExpressionAttributeNames,omitempty"`
	ExpressionAttributeValues           map[string]AttributeValue         `json:"ExpressionAttributeValues,omitempty"`
	Expected                            map[string]ExpectedAttributeValue `json:"Expected,omitempty"`
	ConditionalOperator                 string                            `json:"ConditionalOperator,omitempty"` // AND or OR
	ReturnValues                        string                            `json:"ReturnValues,omitempty"`        // NONE or ALL_OLD
	ReturnConsumedCapacity              string                            `json:"ReturnConsumedCapacity,omitempty"`
	ReturnItemCollectionMetrics         string                            `json:"ReturnItemCollectionMetrics,omitempty"`         // SIZE or NONE
	ReturnValuesOnConditionCheckFailure string                            `json:"ReturnValuesOnConditionCheckFailure,omitempty"` // ALL_OLD or NONE
}

// PutItemOutput is PutItem's response.
type PutItemOutput struct {
	Attributes            *Item                  `json:"Attributes,omitempty"`
	ConsumedCapacity      *ConsumedCapacity      `json:"ConsumedCapacity,omitempty"`
	ItemCollectionMetrics *ItemCollectionMetrics `json:"ItemCollectionMetrics,omitempty"`
}

// UpdateItemInput is UpdateItem's request.
type UpdateItemInput struct {
	TableName                           string                            `json:"TableName"`
	Key                                 *Item                             `json:"Key,omitempty"`
	UpdateExpression                    string                            `json:"UpdateExpression,omitempty"`
	ConditionExpression                 string                            `json:"ConditionExpression,omitempty"`
	ExpressionAttributeNames            map[string]string                 `json:"ExpressionAttributeNames,omitempty"`
	ExpressionAttributeValues           map[string]AttributeValue         `json:"ExpressionAttributeValues,omitempty"`
	AttributeUpdates                    map[string]AttributeValueUpdate   `json:"AttributeUpdates,omitempty"`
	Expected                            map[string]ExpectedAttributeValue `json:"Expected,omitempty"`
	ConditionalOperator                 string                            `json:"ConditionalOperator,omitempty"`
	ReturnValues                        string                            `json:"ReturnValues,omitempty"` // NONE, ALL_OLD, UPDATED_OLD, ALL_NEW, UPDATED_NEW
	ReturnConsumedCapacity              string                            `json:"ReturnConsumedCapacity,omitempty"`
	ReturnItemCollectionMetrics         string                            `json:"ReturnItemCollectionMetrics,omitempty"`
	ReturnValuesOnConditionCheckFailure string                            `json:"ReturnValuesOnConditionCheckFailure,omitempty"`
}

// UpdateItemOutput is UpdateItem's response.
type UpdateItemOutput struct {
	Attributes            *Item                  `json:"Attributes,omitempty"`
	ConsumedCapacity      *ConsumedCapacity      `json:"ConsumedCapacity,omitempty"`
	ItemCollectionMetrics *ItemCollectionMetrics `json:"ItemCollectionMetrics,omitempty"`
}

// DeleteItemInput is DeleteItem's request.
type DeleteItemInput struct {
	TableName                           string                            `json:"TableName"`
	Key                                 *Item                             `json:"Key,omitempty"`
	ConditionExpression                 string                            `json:"ConditionExpression,omitempty"`
	ExpressionAttributeNames            map[string]string                 `json:"ExpressionAttributeNames,omitempty"`
	ExpressionAttributeValues           map[string]AttributeValue         `json:"ExpressionAttributeValues,omitempty"`
	Expected                            map[string]ExpectedAttributeValue `json:"Expected,omitempty"`
	ConditionalOperator                 string                            `json:"ConditionalOperator,omitempty"`
	ReturnValues                        string                            `json:"ReturnValues,omitempty"` // NONE or ALL_OLD
	ReturnConsumedCapacity              string                            `json:"ReturnConsumedCapacity,omitempty"`
	ReturnItemCollectionMetrics         string                            `json:"ReturnItemCollectionMetrics,omitempty"`
	ReturnValuesOnConditionCheckFailure string                            `json:"ReturnValuesOnConditionCheckFailure,omitempty"`
}

// DeleteItemOutput is DeleteItem's response.
type DeleteItemOutput struct {
	Attributes            *Item                  `json:"Attributes,omitempty"`
	ConsumedCapacity      *ConsumedCapacity      `json:"ConsumedCapacity,omitempty"`
	ItemCollectionMetrics *ItemCollectionMetrics `json:"ItemCollectionMetrics,omitempty"`
}

// QueryInput is Query's request.
type QueryInput struct {
	TableName                 string                    `json:"TableName"`
	IndexName                 string                    `json:"IndexName,omitempty"`
	KeyConditionExpression    string                    `json:"KeyConditionExpression,omitempty"`
	FilterExpression          string                    `json:"FilterExpression,omitempty"`
	ProjectionExpression      string                    `json:"ProjectionExpression,omitempty"`
	ExpressionAttributeNames  map[string]string         `json:"ExpressionAttributeNames,omitempty"`
	ExpressionAttributeValues map[string]AttributeValue `json:"ExpressionAttributeValues,omitempty"`
	KeyConditions             map[string]Condition      `json:"KeyConditions,omitempty"`
	QueryFilter               map[string]Condition      `json:"QueryFilter,omitempty"`
	ConditionalOperator       string                    `json:"ConditionalOperator,omitempty"`
	AttributesToGet           []string                  `json:"AttributesToGet,omitempty"`
	Select                    string                    `json:"Select,omitempty"` // ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES, SPECIFIC_ATTRIBUTES, COUNT
	Limit                     *int                      `json:"Limit,omitempty"`
	ConsistentRead            bool                      `json:"ConsistentRead,omitempty"`
	ScanIndexForward          *bool                     `json:"ScanIndexForward,omitempty"` // default true
	ExclusiveStartKey         *Item                     `json:"ExclusiveStartKey,omitempty"`
	ReturnConsumedCapacity    string                    `json:"ReturnConsumedCapacity,omitempty"`
}

// QueryOutput is Query's response. Items is nil for Select COUNT and an
// empty list when nothing matched; LastEvaluatedKey is set when the page
// stopped before the last match.
type QueryOutput struct {
	Items            []Item            `json:"Items,omitzero"`
	Count            int               `json:"Count"`
	ScannedCount     int               `json:"ScannedCount"`
	LastEvaluatedKey *Item             `json:"LastEvaluatedKey,omitempty"`
	ConsumedCapacity *ConsumedCapacity `json:"ConsumedCapacity,omitempty"`
}

// ScanInput is Scan's request; Segment and TotalSegments split a parallel
// scan.
type ScanInput struct {
	TableName                 string                    `json:"TableName"`
	IndexName                 string                    `json:"IndexName,omitempty"`
	FilterExpression          string                    `json:"FilterExpression,omitempty"`
	ProjectionExpression      string                    `json:"ProjectionExpression,omitempty"`
	ExpressionAttributeNames  map[string]string         `json:"ExpressionAttributeNames,omitempty"`
	ExpressionAttributeValues map[string]AttributeValue `json:"ExpressionAttributeValues,omitempty"`
	ScanFilter                map[string]Condition      `json:"ScanFilter,omitempty"`
	ConditionalOperator       string                    `json:"ConditionalOperator,omitempty"`
	AttributesToGet           []string                  `json:"AttributesToGet,omitempty"`
	Select                    string                    `json:"Select,omitempty"`
	Limit                     *int                      `json:"Limit,omitempty"`
	ConsistentRead            bool                      `json:"ConsistentRead,omitempty"`
	Segment                   *int                      `json:"Segment,omitempty"`
	TotalSegments             *int                      `json:"TotalSegments,omitempty"`
	ExclusiveStartKey         *Item                     `json:"ExclusiveStartKey,omitempty"`
	ReturnConsumedCapacity    string                    `json:"ReturnConsumedCapacity,omitempty"`
}

// ScanOutput is Scan's response (see QueryOutput).
type ScanOutput struct {
	Items            []Item            `json:"Items,omitzero"`
	Count            int               `json:"Count"`
	ScannedCount     int               `json:"ScannedCount"`
	LastEvaluatedKey *Item             `json:"LastEvaluatedKey,omitempty"`
	ConsumedCapacity *ConsumedCapacity `json:"ConsumedCapacity,omitempty"`
}

// KeysAndAttributes is one table's part of BatchGetItem: the keys to
// read and how.
type KeysAndAttributes struct {
	Keys                     []Item            `json:"Keys"`
	ConsistentRead           bool              `json:"ConsistentRead,omitempty"`
	ProjectionExpression     string            `json:"ProjectionExpression,omitempty"`
	ExpressionAttributeNames map[string]string `json:"ExpressionAttributeNames,omitempty"`
	AttributesToGet          []string          `json:"AttributesToGet,omitempty"`
}

// BatchGetItemInput is BatchGetItem's request, by table name.
type BatchGetItemInput struct {
	RequestItems           map[string]KeysAndAttributes `json:"RequestItems"`
	ReturnConsumedCapacity string                       `json:"ReturnConsumedCapacity,omitempty"`
}

// BatchGetItemOutput is BatchGetItem's response: the items found by table
// name, the keys left unread (an empty map when none) and one
// ConsumedCapacity per table.
type BatchGetItemOutput struct {
	Responses        map[string][]Item            `json:"Responses,omitzero"`
	UnprocessedKeys  map[string]KeysAndAttributes `json:"UnprocessedKeys,omitzero"`
	ConsumedCapacity []ConsumedCapacity           `json:"ConsumedCapacity,omitzero"`
}

// PutRequest is a put of BatchWriteItem.
type PutRequest struct {
	Item Item `json:"Item"`
}

// DeleteRequest is a delete of BatchWriteItem.
type DeleteRequest struct {
	Key Item `json:"Key"`
}

// WriteRequest is one write of BatchWriteItem: exactly one member set.
type WriteRequest struct {
	PutRequest    *PutRequest    `json:"PutRequest,omitempty"`
	DeleteRequest *DeleteRequest `json:"DeleteRequest,omitempty"`
}

// BatchWriteItemInput is BatchWriteItem's request, by table name.
type BatchWriteItemInput struct {
	RequestItems                map[string][]WriteRequest `json:"RequestItems"`
	ReturnConsumedCapacity      string                    `json:"ReturnConsumedCapacity,omitempty"`
	ReturnItemCollectionMetrics string                    `json:"ReturnItemCollectionMetrics,omitempty"`
}

// BatchWriteItemOutput is BatchWriteItem's response: the writes left
// undone by table name (an empty map when none).
type BatchWriteItemOutput struct {
	UnprocessedItems      map[string][]WriteRequest          `json:"UnprocessedItems,omitzero"`
	ItemCollectionMetrics map[string][]ItemCollectionMetrics `json:"ItemCollectionMetrics,omitzero"`
	ConsumedCapacity      []ConsumedCapacity                 `json:"ConsumedCapacity,omitzero"`
}

// Get is one read of TransactGetItems.
type Get struct {
	TableName                string            `json:"TableName"`
	Key                      *Item             `json:"Key,omitempty"`
	ProjectionExpression     string            `json:"ProjectionExpression,omitempty"`
	ExpressionAttributeNames map[string]string `json:"ExpressionAttributeNames,omitempty"`
}

// TransactGetItem wraps one Get.
type TransactGetItem struct {
	Get *Get `json:"Get,omitempty"`
}

// TransactGetItemsInput is TransactGetItems's request.
type TransactGetItemsInput struct {
	TransactItems          []TransactGetItem `json:"TransactItems"`
	ReturnConsumedCapacity string            `json:"ReturnConsumedCapacity,omitempty"`
}

// ItemResponse is one read's result: Item absent when no item has the key.
type ItemResponse struct {
	Item *Item `json:"Item,omitempty"`
}

// TransactGetItemsOutput is TransactGetItems's response, in request order.
type TransactGetItemsOutput struct {
	Responses        []ItemResponse     `json:"Responses,omitzero"`
	ConsumedCapacity []ConsumedCapacity `json:"ConsumedCapacity,omitzero"`
}

// ConditionCheck is a condition on an item that a transaction requires
// without writing it.
type ConditionCheck struct {
	TableName                           string                    `json:"TableName"`
	Key                                 *Item                     `json:"Key,omitempty"`
	ConditionExpression                 string                    `json:"ConditionExpression"`
	ExpressionAttributeNames            map[string]string         `json:"ExpressionAttributeNames,omitempty"`
	ExpressionAttributeValues           map[string]AttributeValue `json:"ExpressionAttributeValues,omitempty"`
	ReturnValuesOnConditionCheckFailure string                    `json:"ReturnValuesOnConditionCheckFailure,omitempty"`
}

// Put is a put within a transaction.
type Put struct {
	TableName                           string                    `json:"TableName"`
	Item                                *Item                     `json:"Item,omitempty"`
	ConditionExpression                 string                    `json:"ConditionExpression,omitempty"`
	ExpressionAttributeNames            map[string]string         `json:"ExpressionAttributeNames,omitempty"`
	ExpressionAttributeValues           map[string]AttributeValue `json:"ExpressionAttributeValues,omitempty"`
	ReturnValuesOnConditionCheckFailure string                    `json:"ReturnValuesOnConditionCheckFailure,omitempty"`
}

// Delete is a delete within a transaction.
type Delete struct {
	TableName                           string                    `json:"TableName"`
	Key                                 *Item                     `json:"Key,omitempty"`
	ConditionExpression                 string                    `json:"ConditionExpression,omitempty"`
	ExpressionAttributeNames            map[string]string         `json:"ExpressionAttributeNames,omitempty"`
	ExpressionAttributeValues           map[string]AttributeValue `json:"ExpressionAttributeValues,omitempty"`
	ReturnValuesOnConditionCheckFailure string                    `json:"ReturnValuesOnConditionCheckFailure,omitempty"`
}

// Update is an update within a transaction.
type Update struct {
	TableName                           string                    `json:"TableName"`
	Key                                 *Item                     `json:"Key,omitempty"`
	UpdateExpression                    string                    `json:"UpdateExpression"`
	ConditionExpression                 string                    `json:"ConditionExpression,omitempty"`
	ExpressionAttributeNames            map[string]string         `json:"ExpressionAttributeNames,omitempty"`
	ExpressionAttributeValues           map[string]AttributeValue `json:"ExpressionAttributeValues,omitempty"`
	ReturnValuesOnConditionCheckFailure string                    `json:"ReturnValuesOnConditionCheckFailure,omitempty"`
}

// TransactWriteItem is one action of TransactWriteItems: exactly one
// member set.
type TransactWriteItem struct {
	ConditionCheck *ConditionCheck `json:"ConditionCheck,omitempty"`
	Put            *Put            `json:"Put,omitempty"`
	Delete         *Delete         `json:"Delete,omitempty"`
	Update         *Update         `json:"Update,omitempty"`
}

// TransactWriteItemsInput is TransactWriteItems's request.
type TransactWriteItemsInput struct {
	TransactItems               []TransactWriteItem `json:"TransactItems"`
	ClientRequestToken          string              `json:"ClientRequestToken,omitempty"`
	ReturnConsumedCapacity      string              `json:"ReturnConsumedCapacity,omitempty"`
	ReturnItemCollectionMetrics string              `json:"ReturnItemCollectionMetrics,omitempty"`
}

// TransactWriteItemsOutput is TransactWriteItems's response.
type TransactWriteItemsOutput struct {
	ConsumedCapacity      []ConsumedCapacity                 `json:"ConsumedCapacity,omitzero"`
	ItemCollectionMetrics map[string][]ItemCollectionMetrics `json:"ItemCollectionMetrics,omitzero"`
}
