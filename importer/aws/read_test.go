package aws

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ddbsim/ddbsim/scenarios"
)

func readFile(t *testing.T, name string) *Description {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	d, err := Read(name, data)
	if err != nil {
		t.Fatalf("Read(%s): %v", name, err)
	}
	return d
}

func TestReadDescribeTable(t *testing.T) {
	d := readFile(t, "describe-table.json")
	if len(d.Tables) != 1 {
		t.Fatalf("got %d tables, want 1", len(d.Tables))
	}
	tb := d.Tables[0]
	want := TableSpec{
		Name:           "orders",
		PartitionKey:   Key{"customer", "S"},
		SortKey:        Key{"placed", "N"},
		BillingMode:    "PROVISIONED",
		Provisioned:    Throughput{200, 100},
		Warm:           Throughput{12000, 4000},
		TableClass:     "STANDARD",
		StreamView:     "NEW_AND_OLD_IMAGES",
		Replicas:       []string{"eu-west-1"},
		ItemCount:      4000,
		TableSizeBytes: 1000000,
	}
	got := tb
	got.Sources, got.GlobalIndexes, got.LocalIndexes = nil, nil, nil
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got\n%+v\nwant\n%+v", got, want)
	}
	if size, ok := tb.MeanItemSize(); !ok || size != 250 {
		t.Errorf("MeanItemSize = %d, %v; want 250 (1,000,000 B / 4,000 items)", size, ok)
	}
	if tb.Sources["Provisioned"] != "describe-table.json" {
		t.Errorf("Sources = %v", tb.Sources)
	}
	gsi := tb.GlobalIndexes[0]
	if gsi.Name != "by-status" || gsi.PartitionKey != (Key{"status", "S"}) || gsi.Projection != "INCLUDE" ||
		!reflect.DeepEqual(gsi.NonKeyAttributes, []string{"total"}) || gsi.Provisioned != (Throughput{50, 100}) {
		t.Errorf("GSI = %+v", gsi)
	}
	lsi := tb.LocalIndexes[0]
	if lsi.Name != "by-status-local" || lsi.SortKey != (Key{"status", "S"}) || lsi.Projection != "KEYS_ONLY" {
		t.Errorf("LSI = %+v", lsi)
	}
}

func TestReadOnDemand(t *testing.T) {
	tb := readFile(t, "on-demand.json").Tables[0]
	if tb.BillingMode != "PAY_PER_REQUEST" || tb.OnDemandMax != (Throughput{3000, 0}) ||
		tb.TableClass != "STANDARD_INFREQUENT_ACCESS" || tb.PartitionKey != (Key{"id", "B"}) {
		t.Errorf("got %+v", tb)
	}
	if _, ok := tb.Sources["Provisioned"]; ok {
		t.Error("an on-demand table's zero ProvisionedThroughput was read as set")
	}
	st, notes := tb.Scenario()
	if len(notes) != 1 || notes[0] != "table events: no ItemCount and TableSizeBytes: 1 KiB items assumed" {
		t.Errorf("notes = %q", notes)
	}
	// -1 is the API's "no maximum": 0 here.
	if st.Items != (scenarios.Items{Size: 1024, PerKey: 1}) {
		t.Errorf("items = %+v, want the parser's defaults", st.Items)
	}
	if st.Mode != "on-demand" || *st.MaxThroughput != (scenarios.Peak{Reads: 3000}) || st.TableClass != "standard-ia" {
		t.Errorf("scenario table = %+v", st)
	}
}

// TestMergeDescribeTableTTLAndScaling joins the four CLI outputs about one
// table, as the import command will.
func TestMergeDescribeTableTTLAndScaling(t *testing.T) {
	var descs []*Description
	for _, f := range []string{"describe-table.json", "ttl.json", "scalable-targets.json", "scaling-policies.json"} {
		descs = append(descs, readFile(t, f))
	}
	d, err := Merge(descs...)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Tables) != 1 {
		t.Fatalf("got %d tables, want 1: %+v", len(d.Tables), d.Tables)
	}
	tb := d.Tables[0]
	if tb.TTLAttribute != "expires" || tb.Sources["TTLAttribute"] != "ttl.json" {
		t.Errorf("TTL = %q from %q", tb.TTLAttribute, tb.Sources["TTLAttribute"])
	}
	if tb.ReadScaling != (Scaling{100, 1000, 70}) || tb.WriteScaling != (Scaling{50, 500, 50}) {
		t.Errorf("scaling = %+v, %+v", tb.ReadScaling, tb.WriteScaling)
	}
	if tb.Sources["ReadScaling.Min"] != "scalable-targets.json" || tb.Sources["ReadScaling.Target"] != "scaling-policies.json" {
		t.Errorf("Sources = %v", tb.Sources)
	}
	gsi := tb.Index("by-status")
	if gsi == nil || gsi.WriteScaling != (Scaling{Min: 50, Max: 400}) || gsi.Provisioned != (Throughput{50, 100}) {
		t.Errorf("GSI = %+v", gsi)
	}
	if len(d.Notes) != 1 || !strings.Contains(d.Notes[0], "not a DynamoDB target") {
		t.Errorf("notes = %q", d.Notes)
	}

	st, notes := tb.Scenario()
	if st.Mode != "provisioned" || st.ReadCapacity != 200 || st.WriteCapacity != 100 ||
		*st.AutoScaling != (scenarios.AutoScaling{Min: 50, Max: 1000, Target: 0.7}) ||
		st.Items != (scenarios.Items{Count: 4000, Size: 250, PerKey: 1}) || st.Stream.View != "new_and_old_images" ||
		st.TTL.Attribute != "expires" || st.TableClass != "standard" || len(st.Indexes) != 2 ||
		st.Indexes[0].Projection != "include" || st.Indexes[1].Local != true {
		t.Errorf("scenario table = %+v", st)
	}
	wantNotes := []string{
		"table orders: reads scale 100-1000 at 70%, writes 50-500 at 50%: one range 50-1000 at the reads' target used for both",
		"table orders: index by-status: projected attributes total: the entry size is not in the inputs",
		"table orders: index by-status: auto scaling on writes only: applied to both",
		"table orders: index by-status: WriteScaling: no target tracking policy in the inputs: 70% assumed",
		`table orders: TTL on "expires": how long items live is not in the inputs`,
		"table orders: replicas eu-west-1: the first is taken as the home region",
	}
	if !reflect.DeepEqual(notes, wantNotes) {
		t.Errorf("notes:\n%s\nwant:\n%s", strings.Join(notes, "\n"), strings.Join(wantNotes, "\n"))
	}
}

func TestMergeConflictNamesBothFiles(t *testing.T) {
	a := &Description{Tables: []TableSpec{{Name: "t", Provisioned: Throughput{5, 5}, Sources: map[string]string{"Provisioned": "a.json"}}}}
	b := &Description{Tables: []TableSpec{{Name: "t", Provisioned: Throughput{10, 5}, Sources: map[string]string{"Provisioned": "b.json"}}}}
	_, err := Merge(a, b)
	want := "table t: Provisioned is {5 5} in a.json but {10 5} in b.json"
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
	ttl := &Description{Tables: []TableSpec{{TTLAttribute: "x", Sources: map[string]string{"TTLAttribute": "ttl.json"}}}}
	c := &Description{Tables: []TableSpec{{Name: "u"}}}
	_, err = Merge(a, c, ttl)
	want = "ttl.json: names no table, and the other inputs describe 2 tables; expected exactly one to give it to"
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}

// TestReadErrors pins the messages for malformed and partial inputs: the
// file, the JSON path (or YAML line) and what was expected.
func TestReadErrors(t *testing.T) {
	for _, tc := range []struct{ file, want string }{
		{"keytype.json", `keytype.json: $.Table.KeySchema[0].KeyType: expected "HASH" or "RANGE", got "X"`},
		{"noname.json", `noname.json: $.Table.TableName: expected a string, got nothing`},
		{"unknown.json", `unknown.json: $: expected ` + what + `; got an object with keys [Tables]`},
		{"cut.json", `cut.json: line 1:29: invalid JSON: the file ends in the middle of a value; is it cut short?`},
		{"resourceid.json", `resourceid.json: $.ScalableTargets[0].ResourceId: expected "table/NAME" or "table/NAME/index/INDEX", got "orders"`},
		{"target.json", `target.json: $.ScalingPolicies[0].TargetTrackingScalingPolicyConfiguration.TargetValue: expected a non-negative number, got "high"`},
		{"ttl.json", `ttl.json: $.TimeToLiveDescription.AttributeName: expected a string, got nothing`},
		{"template.yaml", `template.yaml: $.Resources.T.Properties.KeySchema[0].KeyType (line 7:20): expected "HASH" or "RANGE", got "SORT"`},
		{"broken.yaml", `broken.yaml: invalid JSON or YAML: line 1: did not find expected node content`},
		{"terraform.json", `terraform.json: $.values.root_module.resources[0].values.billing_mode: expected "PROVISIONED" or "PAY_PER_REQUEST", got "ON_DEMAND"`},
	} {
		data, err := os.ReadFile(filepath.Join("testdata", "bad", tc.file))
		if err != nil {
			t.Fatal(err)
		}
		_, err = Read(tc.file, data)
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s:\ngot  %v\nwant %s", tc.file, err, tc.want)
		}
	}
}

func TestReadRefusesTooLarge(t *testing.T) {
	_, err := Read("big.json", make([]byte, scenarios.MaxFileSize+1))
	if _, ok := err.(*scenarios.TooLargeError); !ok {
		t.Errorf("got %v, want a *scenarios.TooLargeError", err)
	}
}

func FuzzRead(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.*")
	bad, _ := filepath.Glob("testdata/bad/*")
	for _, name := range append(files, bad...) {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := Read("f", data)
		if err != nil {
			return
		}
		m, err := Merge(d, d)
		if err != nil {
			return
		}
		for _, tb := range m.Tables {
			tb.Scenario()
		}
	})
}

// TestMergeOrderDoesNotMatter: auto scaling read before describe-table
// makes a placeholder index that describe-table then fills in.
func TestMergeOrderDoesNotMatter(t *testing.T) {
	files := []string{"describe-table.json", "ttl.json", "scalable-targets.json", "scaling-policies.json"}
	var forward, backward []*Description
	for i := range files {
		forward = append(forward, readFile(t, files[i]))
		backward = append(backward, readFile(t, files[len(files)-1-i]))
	}
	a, err := Merge(forward...)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Merge(backward...)
	if err != nil {
		t.Fatal(err)
	}
	ta, tb := a.Tables[0], b.Tables[0]
	if !reflect.DeepEqual(ta, tb) {
		t.Errorf("forward:\n%+v\nbackward:\n%+v", ta, tb)
	}
}

// TestScenarioTablesPassCheck: every example's tables, mapped, are in the
// ranges the scenario parser accepts.
func TestScenarioTablesPassCheck(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.*")
	for _, f := range files {
		d := readFile(t, filepath.Base(f))
		for _, tb := range d.Tables {
			if _, ok := tb.Sources["PartitionKey"]; !ok {
				continue // TTL or auto scaling alone: a part of a table, for Merge
			}
			st, _ := tb.Scenario()
			sc := &scenarios.Scenario{File: f, Duration: time.Hour, Tables: []scenarios.Table{st}}
			if err := scenarios.Check(sc); err != nil {
				t.Errorf("%s: table %s: %v", f, tb.Name, err)
			}
		}
	}
}
