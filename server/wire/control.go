package wire

// The control plane's shapes: tables, indexes, time to live, limits and
// endpoints. Member names are the API's. Timestamps are what the protocol
// sends: seconds since the Unix epoch as JSON numbers, fractions allowed.

// AttributeDefinition declares a key attribute's type: AttributeType is
// "S", "N" or "B".
type AttributeDefinition struct {
	AttributeName string `json:"AttributeName"`
	AttributeType string `json:"AttributeType"`
}

// KeySchemaElement names a key attribute: KeyType is "HASH" (partition
// key) or "RANGE" (sort key).
type KeySchemaElement struct {
	AttributeName string `json:"AttributeName"`
	KeyType       string `json:"KeyType"`
}

// ProvisionedThroughput is a provisioned table's or index's capacity.
type ProvisionedThroughput struct {
	ReadCapacityUnits  int64 `json:"ReadCapacityUnits"`
	WriteCapacityUnits int64 `json:"WriteCapacityUnits"`
}

// ProvisionedThroughputDescription is the capacity DescribeTable reports;
// an on-demand table reports zeros.
type ProvisionedThroughputDescription struct {
	LastIncreaseDateTime   float64 `json:"LastIncreaseDateTime,omitempty"`
	LastDecreaseDateTime   float64 `json:"LastDecreaseDateTime,omitempty"`
	NumberOfDecreasesToday int64   `json:"NumberOfDecreasesToday"`
	ReadCapacityUnits      int64   `json:"ReadCapacityUnits"`
	WriteCapacityUnits     int64   `json:"WriteCapacityUnits"`
}

// OnDemandThroughput caps an on-demand table's or index's request units
// per second; -1 or absent means no cap.
type OnDemandThroughput struct {
	MaxReadRequestUnits  int64 `json:"MaxReadRequestUnits,omitempty"`
	MaxWriteRequestUnits int64 `json:"MaxWriteRequestUnits,omitempty"`
}

// WarmThroughput is the throughput a table or index is asked to sustain
// at once.
type WarmThroughput struct {
	ReadUnitsPerSecond  int64 `json:"ReadUnitsPerSecond,omitempty"`
	WriteUnitsPerSecond int64 `json:"WriteUnitsPerSecond,omitempty"`
}

// WarmThroughputDescription is the throughput a table or index sustains
// at once, and whether it is being raised (Status "UPDATING") or not
// ("ACTIVE").
type WarmThroughputDescription struct {
	ReadUnitsPerSecond  int64  `json:"ReadUnitsPerSecond,omitempty"`
	WriteUnitsPerSecond int64  `json:"WriteUnitsPerSecond,omitempty"`
	Status              string `json:"Status,omitempty"`
}

// Projection says which attributes an index holds: ProjectionType "ALL",
// "KEYS_ONLY" or "INCLUDE" (with NonKeyAttributes).
type Projection struct {
	ProjectionType   string   `json:"ProjectionType,omitempty"`
	NonKeyAttributes []string `json:"NonKeyAttributes,omitempty"`
}

// GlobalSecondaryIndex is a GSI to create with a table.
type GlobalSecondaryIndex struct {
	IndexName             string                 `json:"IndexName"`
	KeySchema             []KeySchemaElement     `json:"KeySchema"`
	Projection            Projection             `json:"Projection"`
	ProvisionedThroughput *ProvisionedThroughput `json:"ProvisionedThroughput,omitempty"`
	OnDemandThroughput    *OnDemandThroughput    `json:"OnDemandThroughput,omitempty"`
	WarmThroughput        *WarmThroughput        `json:"WarmThroughput,omitempty"`
}

// LocalSecondaryIndex is an LSI to create with a table.
type LocalSecondaryIndex struct {
	IndexName  string             `json:"IndexName"`
	KeySchema  []KeySchemaElement `json:"KeySchema"`
	Projection Projection         `json:"Projection"`
}

// StreamSpecification turns a table's stream on or off; StreamViewType is
// "KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE" or "NEW_AND_OLD_IMAGES".
type StreamSpecification struct {
	StreamEnabled  bool   `json:"StreamEnabled"`
	StreamViewType string `json:"StreamViewType,omitempty"`
}

// SSESpecification asks for server-side encryption settings; the server
// accepts and reports them without effect.
type SSESpecification struct {
	Enabled        *bool  `json:"Enabled,omitempty"`
	SSEType        string `json:"SSEType,omitempty"`
	KMSMasterKeyID string `json:"KMSMasterKeyId,omitempty"`
}

// Tag is a resource tag.
type Tag struct {
	Key   string `json:"Key"`
	Value string `json:"Value"`
}

// CreateTableInput is CreateTable's request.
type CreateTableInput struct {
	TableName                 string                 `json:"TableName"`
	AttributeDefinitions      []AttributeDefinition  `json:"AttributeDefinitions"`
	KeySchema                 []KeySchemaElement     `json:"KeySchema"`
	LocalSecondaryIndexes     []LocalSecondaryIndex  `json:"LocalSecondaryIndexes,omitempty"`
	GlobalSecondaryIndexes    []GlobalSecondaryIndex `json:"GlobalSecondaryIndexes,omitempty"`
	BillingMode               string                 `json:"BillingMode,omitempty"` // PROVISIONED (default) or PAY_PER_REQUEST
	ProvisionedThroughput     *ProvisionedThroughput `json:"ProvisionedThroughput,omitempty"`
	StreamSpecification       *StreamSpecification   `json:"StreamSpecification,omitempty"`
	SSESpecification          *SSESpecification      `json:"SSESpecification,omitempty"`
	Tags                      []Tag                  `json:"Tags,omitempty"`
	TableClass                string                 `json:"TableClass,omitempty"` // STANDARD or STANDARD_INFREQUENT_ACCESS
	DeletionProtectionEnabled *bool                  `json:"DeletionProtectionEnabled,omitempty"`
	OnDemandThroughput        *OnDemandThroughput    `json:"OnDemandThroughput,omitempty"`
	WarmThroughput            *WarmThroughput        `json:"WarmThroughput,omitempty"`
	ResourcePolicy            string                 `json:"ResourcePolicy,omitempty"`
}

// CreateTableOutput is CreateTable's response.
type CreateTableOutput struct {
	TableDescription *TableDescription `json:"TableDescription,omitempty"`
}

// BillingModeSummary is a table's billing mode and when it last became
// on-demand.
type BillingModeSummary struct {
	BillingMode                       string  `json:"BillingMode,omitempty"`
	LastUpdateToPayPerRequestDateTime float64 `json:"LastUpdateToPayPerRequestDateTime,omitempty"`
}

// TableClassSummary is a table's class.
type TableClassSummary struct {
	TableClass         string  `json:"TableClass,omitempty"`
	LastUpdateDateTime float64 `json:"LastUpdateDateTime,omitempty"`
}

// SSEDescription reports encryption settings.
type SSEDescription struct {
	Status          string `json:"Status,omitempty"`
	SSEType         string `json:"SSEType,omitempty"`
	KMSMasterKeyArn string `json:"KMSMasterKeyArn,omitempty"`
}

// GlobalSecondaryIndexDescription is a GSI as DescribeTable reports it;
// IndexStatus is "CREATING", "UPDATING", "DELETING" or "ACTIVE".
type GlobalSecondaryIndexDescription struct {
	IndexName             string                            `json:"IndexName"`
	KeySchema             []KeySchemaElement                `json:"KeySchema"`
	Projection            Projection                        `json:"Projection"`
	IndexStatus           string                            `json:"IndexStatus"`
	Backfilling           *bool                             `json:"Backfilling,omitempty"`
	ProvisionedThroughput *ProvisionedThroughputDescription `json:"ProvisionedThroughput,omitempty"`
	IndexSizeBytes        int64                             `json:"IndexSizeBytes"`
	ItemCount             int64                             `json:"ItemCount"`
	IndexArn              string                            `json:"IndexArn,omitempty"`
	OnDemandThroughput    *OnDemandThroughput               `json:"OnDemandThroughput,omitempty"`
	WarmThroughput        *WarmThroughputDescription        `json:"WarmThroughput,omitempty"`
}

// LocalSecondaryIndexDescription is an LSI as DescribeTable reports it.
type LocalSecondaryIndexDescription struct {
	IndexName      string             `json:"IndexName"`
	KeySchema      []KeySchemaElement `json:"KeySchema"`
	Projection     Projection         `json:"Projection"`
	IndexSizeBytes int64              `json:"IndexSizeBytes"`
	ItemCount      int64              `json:"ItemCount"`
	IndexArn       string             `json:"IndexArn,omitempty"`
}

// TableDescription is a table as DescribeTable (and CreateTable,
// UpdateTable, DeleteTable) report it; TableStatus is "CREATING",
// "UPDATING", "DELETING" or "ACTIVE".
type TableDescription struct {
	AttributeDefinitions      []AttributeDefinition             `json:"AttributeDefinitions,omitempty"`
	TableName                 string                            `json:"TableName"`
	KeySchema                 []KeySchemaElement                `json:"KeySchema,omitempty"`
	TableStatus               string                            `json:"TableStatus"`
	CreationDateTime          float64                           `json:"CreationDateTime,omitempty"`
	ProvisionedThroughput     *ProvisionedThroughputDescription `json:"ProvisionedThroughput,omitempty"`
	TableSizeBytes            int64                             `json:"TableSizeBytes"`
	ItemCount                 int64                             `json:"ItemCount"`
	TableArn                  string                            `json:"TableArn,omitempty"`
	TableID                   string                            `json:"TableId,omitempty"`
	BillingModeSummary        *BillingModeSummary               `json:"BillingModeSummary,omitempty"`
	LocalSecondaryIndexes     []LocalSecondaryIndexDescription  `json:"LocalSecondaryIndexes,omitempty"`
	GlobalSecondaryIndexes    []GlobalSecondaryIndexDescription `json:"GlobalSecondaryIndexes,omitempty"`
	StreamSpecification       *StreamSpecification              `json:"StreamSpecification,omitempty"`
	LatestStreamLabel         string                            `json:"LatestStreamLabel,omitempty"`
	LatestStreamArn           string                            `json:"LatestStreamArn,omitempty"`
	SSEDescription            *SSEDescription                   `json:"SSEDescription,omitempty"`
	TableClassSummary         *TableClassSummary                `json:"TableClassSummary,omitempty"`
	DeletionProtectionEnabled bool                              `json:"DeletionProtectionEnabled"`
	OnDemandThroughput        *OnDemandThroughput               `json:"OnDemandThroughput,omitempty"`
	WarmThroughput            *WarmThroughputDescription        `json:"WarmThroughput,omitempty"`
}

// DescribeTableInput is DescribeTable's request.
type DescribeTableInput struct {
	TableName string `json:"TableName"`
}

// DescribeTableOutput is DescribeTable's response.
type DescribeTableOutput struct {
	Table *TableDescription `json:"Table,omitempty"`
}

// UpdateGlobalSecondaryIndexAction changes an existing GSI's capacity.
type UpdateGlobalSecondaryIndexAction struct {
	IndexName             string                 `json:"IndexName"`
	ProvisionedThroughput *ProvisionedThroughput `json:"ProvisionedThroughput,omitempty"`
	OnDemandThroughput    *OnDemandThroughput    `json:"OnDemandThroughput,omitempty"`
	WarmThroughput        *WarmThroughput        `json:"WarmThroughput,omitempty"`
}

// DeleteGlobalSecondaryIndexAction deletes a GSI.
type DeleteGlobalSecondaryIndexAction struct {
	IndexName string `json:"IndexName"`
}

// GlobalSecondaryIndexUpdate is one of UpdateTable's index changes:
// exactly one of its members is set.
type GlobalSecondaryIndexUpdate struct {
	Update *UpdateGlobalSecondaryIndexAction `json:"Update,omitempty"`
	Create *GlobalSecondaryIndex             `json:"Create,omitempty"`
	Delete *DeleteGlobalSecondaryIndexAction `json:"Delete,omitempty"`
}

// UpdateTableInput is UpdateTable's request.
type UpdateTableInput struct {
	TableName                   string                       `json:"TableName"`
	AttributeDefinitions        []AttributeDefinition        `json:"AttributeDefinitions,omitempty"`
	BillingMode                 string                       `json:"BillingMode,omitempty"`
	ProvisionedThroughput       *ProvisionedThroughput       `json:"ProvisionedThroughput,omitempty"`
	GlobalSecondaryIndexUpdates []GlobalSecondaryIndexUpdate `json:"GlobalSecondaryIndexUpdates,omitempty"`
	StreamSpecification         *StreamSpecification         `json:"StreamSpecification,omitempty"`
	SSESpecification            *SSESpecification            `json:"SSESpecification,omitempty"`
	TableClass                  string                       `json:"TableClass,omitempty"`
	DeletionProtectionEnabled   *bool                        `json:"DeletionProtectionEnabled,omitempty"`
	OnDemandThroughput          *OnDemandThroughput          `json:"OnDemandThroughput,omitempty"`
	WarmThroughput              *WarmThroughput              `json:"WarmThroughput,omitempty"`
}

// UpdateTableOutput is UpdateTable's response.
type UpdateTableOutput struct {
	TableDescription *TableDescription `json:"TableDescription,omitempty"`
}

// DeleteTableInput is DeleteTable's request.
type DeleteTableInput struct {
	TableName string `json:"TableName"`
}

// DeleteTableOutput is DeleteTable's response.
type DeleteTableOutput struct {
	TableDescription *TableDescription `json:"TableDescription,omitempty"`
}

// ListTablesInput is ListTables's request: names after
// ExclusiveStartTableName, at most Limit (1 to 100, default 100).
type ListTablesInput struct {
	ExclusiveStartTableName string `json:"ExclusiveStartTableName,omitempty"`
	Limit                   *int   `json:"Limit,omitempty"`
}

// ListTablesOutput is ListTables's response; LastEvaluatedTableName is set
// when more names follow.
type ListTablesOutput struct {
	TableNames             []string `json:"TableNames,omitzero"`
	LastEvaluatedTableName string   `json:"LastEvaluatedTableName,omitempty"`
}

// TimeToLiveSpecification turns TTL on or off for an attribute.
type TimeToLiveSpecification struct {
	Enabled       bool   `json:"Enabled"`
	AttributeName string `json:"AttributeName"`
}

// UpdateTimeToLiveInput is UpdateTimeToLive's request.
type UpdateTimeToLiveInput struct {
	TableName               string                  `json:"TableName"`
	TimeToLiveSpecification TimeToLiveSpecification `json:"TimeToLiveSpecification"`
}

// UpdateTimeToLiveOutput is UpdateTimeToLive's response.
type UpdateTimeToLiveOutput struct {
	TimeToLiveSpecification *TimeToLiveSpecification `json:"TimeToLiveSpecification,omitempty"`
}

// DescribeTimeToLiveInput is DescribeTimeToLive's request.
type DescribeTimeToLiveInput struct {
	TableName string `json:"TableName"`
}

// TimeToLiveDescription is a table's TTL state: TimeToLiveStatus is
// "ENABLING", "DISABLING", "ENABLED" or "DISABLED".
type TimeToLiveDescription struct {
	TimeToLiveStatus string `json:"TimeToLiveStatus,omitempty"`
	AttributeName    string `json:"AttributeName,omitempty"`
}

// DescribeTimeToLiveOutput is DescribeTimeToLive's response.
type DescribeTimeToLiveOutput struct {
	TimeToLiveDescription *TimeToLiveDescription `json:"TimeToLiveDescription,omitempty"`
}

// DescribeLimitsInput is DescribeLimits's request, which has no members.
type DescribeLimitsInput struct{}

// DescribeLimitsOutput is DescribeLimits's response: the account's and a
// table's capacity quotas.
type DescribeLimitsOutput struct {
	AccountMaxReadCapacityUnits  int64 `json:"AccountMaxReadCapacityUnits"`
	AccountMaxWriteCapacityUnits int64 `json:"AccountMaxWriteCapacityUnits"`
	TableMaxReadCapacityUnits    int64 `json:"TableMaxReadCapacityUnits"`
	TableMaxWriteCapacityUnits   int64 `json:"TableMaxWriteCapacityUnits"`
}

// DescribeEndpointsInput is DescribeEndpoints's request, which has no
// members.
type DescribeEndpointsInput struct{}

// Endpoint is an address the service answers on, and how long a client
// may cache it.
type Endpoint struct {
	Address              string `json:"Address"`
	CachePeriodInMinutes int64  `json:"CachePeriodInMinutes"`
}

// DescribeEndpointsOutput is DescribeEndpoints's response.
type DescribeEndpointsOutput struct {
	Endpoints []Endpoint `json:"Endpoints"`
}
