package server

// The control plane's request and response shapes, with the API's JSON
// field names (DynamoDB API reference). Numbers of capacity are int64 as
// the API's Long; times are epoch seconds as the JSON protocol sends them.

type attributeDefinition struct {
	AttributeName string `json:"AttributeName"`
	AttributeType string `json:"AttributeType"`
}

type keySchemaElement struct {
	AttributeName string `json:"AttributeName"`
	KeyType       string `json:"KeyType"`
}

type provisionedThroughput struct {
	ReadCapacityUnits  int64 `json:"ReadCapacityUnits"`
	WriteCapacityUnits int64 `json:"WriteCapacityUnits"`
}

type projection struct {
	ProjectionType   string   `json:"ProjectionType,omitempty"`
	NonKeyAttributes []string `json:"NonKeyAttributes,omitempty"`
}

type indexSpec struct {
	IndexName             string                 `json:"IndexName"`
	KeySchema             []keySchemaElement     `json:"KeySchema"`
	Projection            projection             `json:"Projection"`
	ProvisionedThroughput *provisionedThroughput `json:"ProvisionedThroughput,omitempty"`
}

type streamSpecification struct {
	StreamEnabled  bool   `json:"StreamEnabled"`
	StreamViewType string `json:"StreamViewType,omitempty"`
}

type createTableInput struct {
	TableName              string                 `json:"TableName"`
	AttributeDefinitions   []attributeDefinition  `json:"AttributeDefinitions"`
	KeySchema              []keySchemaElement     `json:"KeySchema"`
	BillingMode            string                 `json:"BillingMode"`
	ProvisionedThroughput  *provisionedThroughput `json:"ProvisionedThroughput"`
	GlobalSecondaryIndexes []indexSpec            `json:"GlobalSecondaryIndexes"`
	LocalSecondaryIndexes  []indexSpec            `json:"LocalSecondaryIndexes"`
	StreamSpecification    *streamSpecification   `json:"StreamSpecification"`
	TableClass             string                 `json:"TableClass"`
}

type tableNameInput struct {
	TableName string `json:"TableName"`
}

type updateTableInput struct {
	TableName             string                 `json:"TableName"`
	BillingMode           string                 `json:"BillingMode"`
	ProvisionedThroughput *provisionedThroughput `json:"ProvisionedThroughput"`
	AttributeDefinitions  []attributeDefinition  `json:"AttributeDefinitions"`
	// GlobalSecondaryIndexUpdates create, delete or resize a global
	// index (index_updates.go); TableClass is accepted for the shape and
	// refused.
	GlobalSecondaryIndexUpdates []gsiUpdate          `json:"GlobalSecondaryIndexUpdates"`
	StreamSpecification         *streamSpecification `json:"StreamSpecification"`
	TableClass                  string               `json:"TableClass"`
}

// gsiUpdate is one of UpdateTable's GlobalSecondaryIndexUpdates: exactly
// one of its members.
type gsiUpdate struct {
	Create *indexSpec `json:"Create"`
	Delete *struct {
		IndexName string `json:"IndexName"`
	} `json:"Delete"`
	Update *struct {
		IndexName             string                 `json:"IndexName"`
		ProvisionedThroughput *provisionedThroughput `json:"ProvisionedThroughput"`
	} `json:"Update"`
}

type listTablesInput struct {
	ExclusiveStartTableName string `json:"ExclusiveStartTableName"`
	Limit                   *int   `json:"Limit"`
}

type listTablesOutput struct {
	TableNames             []string `json:"TableNames"`
	LastEvaluatedTableName string   `json:"LastEvaluatedTableName,omitempty"`
}

type timeToLiveSpecification struct {
	AttributeName string `json:"AttributeName"`
	Enabled       bool   `json:"Enabled"`
}

type updateTimeToLiveInput struct {
	TableName               string                  `json:"TableName"`
	TimeToLiveSpecification timeToLiveSpecification `json:"TimeToLiveSpecification"`
}

type timeToLiveDescription struct {
	TimeToLiveStatus string `json:"TimeToLiveStatus"`
	AttributeName    string `json:"AttributeName,omitempty"`
}

type provisionedThroughputDescription struct {
	ReadCapacityUnits      int64    `json:"ReadCapacityUnits"`
	WriteCapacityUnits     int64    `json:"WriteCapacityUnits"`
	NumberOfDecreasesToday int64    `json:"NumberOfDecreasesToday"`
	LastIncreaseDateTime   *float64 `json:"LastIncreaseDateTime,omitempty"`
	LastDecreaseDateTime   *float64 `json:"LastDecreaseDateTime,omitempty"`
}

type billingModeSummary struct {
	BillingMode                       string   `json:"BillingMode"`
	LastUpdateToPayPerRequestDateTime *float64 `json:"LastUpdateToPayPerRequestDateTime,omitempty"`
}

type warmThroughput struct {
	ReadUnitsPerSecond  int64  `json:"ReadUnitsPerSecond"`
	WriteUnitsPerSecond int64  `json:"WriteUnitsPerSecond"`
	Status              string `json:"Status"`
}

type indexDescription struct {
	IndexName             string                            `json:"IndexName"`
	IndexArn              string                            `json:"IndexArn"`
	KeySchema             []keySchemaElement                `json:"KeySchema"`
	Projection            projection                        `json:"Projection"`
	IndexStatus           string                            `json:"IndexStatus,omitempty"`
	Backfilling           *bool                             `json:"Backfilling,omitempty"`
	ProvisionedThroughput *provisionedThroughputDescription `json:"ProvisionedThroughput,omitempty"`
	IndexSizeBytes        int64                             `json:"IndexSizeBytes"`
	ItemCount             int64                             `json:"ItemCount"`
	WarmThroughput        *warmThroughput                   `json:"WarmThroughput,omitempty"`
}

type tableClassSummary struct {
	TableClass string `json:"TableClass"`
}

type tableDescription struct {
	TableName              string                           `json:"TableName"`
	TableArn               string                           `json:"TableArn"`
	TableId                string                           `json:"TableId"`
	TableStatus            string                           `json:"TableStatus"`
	CreationDateTime       float64                          `json:"CreationDateTime"`
	AttributeDefinitions   []attributeDefinition            `json:"AttributeDefinitions"`
	KeySchema              []keySchemaElement               `json:"KeySchema"`
	ProvisionedThroughput  provisionedThroughputDescription `json:"ProvisionedThroughput"`
	BillingModeSummary     *billingModeSummary              `json:"BillingModeSummary,omitempty"`
	TableSizeBytes         int64                            `json:"TableSizeBytes"`
	ItemCount              int64                            `json:"ItemCount"`
	GlobalSecondaryIndexes []indexDescription               `json:"GlobalSecondaryIndexes,omitempty"`
	LocalSecondaryIndexes  []indexDescription               `json:"LocalSecondaryIndexes,omitempty"`
	StreamSpecification    *streamSpecification             `json:"StreamSpecification,omitempty"`
	LatestStreamArn        string                           `json:"LatestStreamArn,omitempty"`
	LatestStreamLabel      string                           `json:"LatestStreamLabel,omitempty"`
	TableClassSummary      *tableClassSummary               `json:"TableClassSummary,omitempty"`
	WarmThroughput         *warmThroughput                  `json:"WarmThroughput,omitempty"`
	DeletionProtection     bool                             `json:"DeletionProtectionEnabled"`
}
