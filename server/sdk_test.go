package server

import (
	"context"
	"errors"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// The real Go SDK drives the control plane: its requests decode, its
// answers (and their CRC32, which it checks) parse, and its error types
// match the service's.
func TestSDKControlPlane(t *testing.T) {
	s, clock := newTestServer(t, Config{Seed: 1})
	hs := httptest.NewServer(s)
	defer hs.Close()
	db := dynamodb.New(dynamodb.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(hs.URL),
		Credentials:  credentials.NewStaticCredentialsProvider("AKID", "SECRET", ""),
	})
	ctx := context.Background()
	name := aws.String("orders")
	_, err := db.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName: name,
		AttributeDefinitions: []types.AttributeDefinition{
			{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS},
			{AttributeName: aws.String("g"), AttributeType: types.ScalarAttributeTypeN},
		},
		KeySchema: []types.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash}},
		GlobalSecondaryIndexes: []types.GlobalSecondaryIndex{{
			IndexName:  aws.String("by-g"),
			KeySchema:  []types.KeySchemaElement{{AttributeName: aws.String("g"), KeyType: types.KeyTypeHash}},
			Projection: &types.Projection{ProjectionType: types.ProjectionTypeAll},
		}},
		BillingMode: types.BillingModePayPerRequest,
	})
	if err != nil {
		t.Fatal(err)
	}
	var inUse *types.ResourceInUseException
	if _, err := db.CreateTable(ctx, &dynamodb.CreateTableInput{TableName: name, BillingMode: types.BillingModePayPerRequest,
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS}},
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash}},
	}); !errors.As(err, &inUse) {
		t.Errorf("a second CreateTable: %v", err)
	}
	clock.Advance(2 * time.Minute)
	d, err := db.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: name})
	if err != nil {
		t.Fatal(err)
	}
	if d.Table.TableStatus != types.TableStatusActive || d.Table.BillingModeSummary.BillingMode != types.BillingModePayPerRequest ||
		len(d.Table.GlobalSecondaryIndexes) != 1 || aws.ToInt64(d.Table.ItemCount) != 0 || d.Table.CreationDateTime == nil {
		t.Errorf("DescribeTable: %+v", d.Table)
	}
	if _, err := db.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: name, BillingMode: types.BillingModeProvisioned,
		ProvisionedThroughput: &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(5), WriteCapacityUnits: aws.Int64(5)}}); err == nil {
		t.Error("switching to provisioned with a GSI left without capacity was accepted")
	}
	if _, err := db.UpdateTimeToLive(ctx, &dynamodb.UpdateTimeToLiveInput{TableName: name,
		TimeToLiveSpecification: &types.TimeToLiveSpecification{AttributeName: aws.String("exp"), Enabled: aws.Bool(true)}}); err != nil {
		t.Fatal(err)
	}
	ttl, err := db.DescribeTimeToLive(ctx, &dynamodb.DescribeTimeToLiveInput{TableName: name})
	if err != nil || ttl.TimeToLiveDescription.TimeToLiveStatus != types.TimeToLiveStatusEnabled {
		t.Errorf("DescribeTimeToLive: %+v, %v", ttl, err)
	}
	limits, err := db.DescribeLimits(ctx, &dynamodb.DescribeLimitsInput{})
	if err != nil || aws.ToInt64(limits.TableMaxReadCapacityUnits) != 40000 {
		t.Errorf("DescribeLimits: %+v, %v", limits, err)
	}
	var names []string
	for p := dynamodb.NewListTablesPaginator(db, &dynamodb.ListTablesInput{Limit: aws.Int32(1)}); p.HasMorePages(); {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, page.TableNames...)
	}
	if len(names) != 1 || names[0] != "orders" {
		t.Errorf("ListTables: %v", names)
	}
	if _, err := db.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: name}); err != nil {
		t.Fatal(err)
	}
	var notFound *types.ResourceNotFoundException
	if _, err := db.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: name}); !errors.As(err, &notFound) ||
		notFound.ErrorMessage() != "Requested resource not found: Table: orders not found" {
		t.Errorf("DescribeTable after deletion: %v", err)
	}
	if _, err := db.GetItem(ctx, &dynamodb.GetItemInput{TableName: name,
		Key: map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: "a"}}}); err == nil {
		t.Error("GetItem answered")
	}
}
