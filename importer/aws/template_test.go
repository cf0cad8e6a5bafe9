package aws

import (
	"reflect"
	"testing"
)

// summary is what the template and terraform tests compare: the fields
// the example files set, without Sources.
func summary(t TableSpec) TableSpec {
	t.Sources = nil
	for _, list := range [][]IndexSpec{t.GlobalIndexes, t.LocalIndexes} {
		for i := range list {
			list[i].Sources = nil
		}
	}
	return t
}

func TestReadTemplatesAndTerraform(t *testing.T) {
	for _, tc := range []struct {
		file  string
		want  []TableSpec
		notes []string
	}{
		{"template.yaml", []TableSpec{
			{Name: "Counters", PartitionKey: Key{"counter", "N"}, BillingMode: "PAY_PER_REQUEST"},
			{Name: "Sessions", PartitionKey: Key{"user", "S"}, BillingMode: "PROVISIONED", Provisioned: Throughput{40, 20},
				StreamView: "KEYS_ONLY", TTLAttribute: "expires"},
			{Name: "visits", PartitionKey: Key{"page", "S"}, SortKey: Key{"at", "N"}, BillingMode: "PROVISIONED",
				Replicas: []string{"us-east-1"}, WriteScaling: Scaling{5, 50, 60}},
		}, []string{
			"template.yaml: $.Resources.Sessions.Properties.ProvisionedThroughput.ReadCapacityUnits: !Ref Reads: the parameter's default 40 taken",
			"template.yaml: $.Resources.Sessions.Properties.TableName: Sub left unresolved",
			"template.yaml: $.Resources.Sessions.Properties: no TableName: the logical id Sessions used",
			"template.yaml: $.Resources.Visits.Properties.Replicas[1].Region: If left unresolved",
		}},
		{"terraform-state.json", []TableSpec{
			{Name: "carts", PartitionKey: Key{"cart", "S"}, SortKey: Key{"line", "N"}, BillingMode: "PAY_PER_REQUEST",
				OnDemandMax: Throughput{500, 200}, TableClass: "STANDARD",
				GlobalIndexes: []IndexSpec{{Name: "by-sku", PartitionKey: Key{"sku", "S"}, Projection: "KEYS_ONLY"}}},
			{Name: "audit-log", PartitionKey: Key{"id", "S"}, BillingMode: "PROVISIONED", Provisioned: Throughput{10, 30},
				StreamView: "NEW_IMAGE", TTLAttribute: "gone", Replicas: []string{"ap-south-1"}, WriteScaling: Scaling{30, 300, 65},
				LocalIndexes: []IndexSpec{{Name: "by-time", PartitionKey: Key{"id", "S"}, SortKey: Key{"at", "N"}, Projection: "ALL"}}},
		}, nil},
		{"template.json", []TableSpec{
			{Name: "likes", PartitionKey: Key{"post", "S"}, BillingMode: "PAY_PER_REQUEST", Warm: Throughput{15000, 5000},
				TableClass: "STANDARD_INFREQUENT_ACCESS",
				GlobalIndexes: []IndexSpec{{Name: "by-user", PartitionKey: Key{"user", "S"}, Projection: "INCLUDE",
					NonKeyAttributes: []string{"at"}, OnDemandMax: Throughput{100, 50}}}},
		}, []string{"template.json: $.Resources.Likes.Properties.StreamSpecification.StreamViewType: GetAtt left unresolved"}},
		{"terraform-plan.json", []TableSpec{
			{Name: "planned", PartitionKey: Key{"pk", "S"}, BillingMode: "PROVISIONED", Provisioned: Throughput{5, 5}},
		}, nil},
	} {
		d := readFile(t, tc.file)
		var got []TableSpec
		for _, tb := range d.Tables {
			got = append(got, summary(tb))
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s:\ngot  %+v\nwant %+v", tc.file, got, tc.want)
		}
		notes := map[string]bool{}
		for _, n := range d.Notes {
			notes[n] = true
		}
		for _, n := range tc.notes {
			if !notes[n] {
				t.Errorf("%s: note %q missing from %q", tc.file, n, d.Notes)
			}
		}
	}
}
