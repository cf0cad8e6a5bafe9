package aws

import (
	"encoding/json"
	"strings"
)

// describeTable reads aws dynamodb describe-table output's "Table"
// (TableDescription in the DynamoDB API reference).
func (r *reader) describeTable(v val) error {
	if _, err := v.object(); err != nil {
		return err
	}
	name, err := v.field("TableName").str()
	if err != nil {
		return err
	}
	t := r.table(name)
	types, err := attributeTypes(v.field("AttributeDefinitions"), "AttributeName", "AttributeType")
	if err != nil {
		return err
	}
	if t.PartitionKey, t.SortKey, err = keySchema(v.field("KeySchema"), types, true); err != nil {
		return err
	}
	t.set("PartitionKey", r.file)
	if t.SortKey.Name != "" {
		t.set("SortKey", r.file)
	}
	// A table created before on-demand existed has no BillingModeSummary:
	// it is provisioned.
	t.BillingMode = "PROVISIONED"
	if bm := v.field("BillingModeSummary").field("BillingMode"); bm.present() {
		if t.BillingMode, err = bm.oneOf("PROVISIONED", "PAY_PER_REQUEST"); err != nil {
			return err
		}
	}
	t.set("BillingMode", r.file)
	if t.BillingMode == "PROVISIONED" {
		if err := readThroughput(v.field("ProvisionedThroughput"), "ReadCapacityUnits", "WriteCapacityUnits", &t.Provisioned, t.set, "Provisioned", r.file); err != nil {
			return err
		}
	}
	if err := readThroughput(v.field("OnDemandThroughput"), "MaxReadRequestUnits", "MaxWriteRequestUnits", &t.OnDemandMax, t.set, "OnDemandMax", r.file); err != nil {
		return err
	}
	if err := readThroughput(v.field("WarmThroughput"), "ReadUnitsPerSecond", "WriteUnitsPerSecond", &t.Warm, t.set, "Warm", r.file); err != nil {
		return err
	}
	if tc := v.field("TableClassSummary").field("TableClass"); tc.present() {
		if t.TableClass, err = tc.oneOf("STANDARD", "STANDARD_INFREQUENT_ACCESS"); err != nil {
			return err
		}
		t.set("TableClass", r.file)
	}
	for _, f := range []struct {
		name string
		to   *int64
	}{{"ItemCount", &t.ItemCount}, {"TableSizeBytes", &t.TableSizeBytes}} {
		if x := v.field(f.name); x.present() {
			if *f.to, err = x.integer(); err != nil {
				return err
			}
			t.set(f.name, r.file)
		}
	}
	if s := v.field("StreamSpecification"); s.present() {
		if t.StreamView, err = streamView(s); err != nil {
			return err
		}
		t.set("StreamView", r.file)
	}
	replicas, err := v.field("Replicas").list()
	if err != nil {
		return err
	}
	for _, rep := range replicas {
		region, err := rep.field("RegionName").str()
		if err != nil {
			return err
		}
		t.Replicas = append(t.Replicas, region)
		t.set("Replicas", r.file)
	}
	if t.GlobalIndexes, err = r.indexes(v.field("GlobalSecondaryIndexes"), types, true); err != nil {
		return err
	}
	if t.LocalIndexes, err = r.indexes(v.field("LocalSecondaryIndexes"), types, false); err != nil {
		return err
	}
	return nil
}

// indexes reads describe-table's GlobalSecondaryIndexes or
// LocalSecondaryIndexes.
func (r *reader) indexes(v val, types map[string]string, global bool) ([]IndexSpec, error) {
	list, err := v.list()
	if err != nil {
		return nil, err
	}
	var out []IndexSpec
	for _, x := range list {
		var ix IndexSpec
		if ix.Name, err = x.field("IndexName").str(); err != nil {
			return nil, err
		}
		if ix.PartitionKey, ix.SortKey, err = keySchema(x.field("KeySchema"), types, true); err != nil {
			return nil, err
		}
		ix.set("PartitionKey", r.file)
		if ix.SortKey.Name != "" {
			ix.set("SortKey", r.file)
		}
		if ix.Projection, ix.NonKeyAttributes, err = projection(x.field("Projection")); err != nil {
			return nil, err
		}
		ix.set("Projection", r.file)
		if len(ix.NonKeyAttributes) > 0 {
			ix.set("NonKeyAttributes", r.file)
		}
		if global {
			if err := readThroughput(x.field("ProvisionedThroughput"), "ReadCapacityUnits", "WriteCapacityUnits", &ix.Provisioned, ix.set, "Provisioned", r.file); err != nil {
				return nil, err
			}
			if err := readThroughput(x.field("OnDemandThroughput"), "MaxReadRequestUnits", "MaxWriteRequestUnits", &ix.OnDemandMax, ix.set, "OnDemandMax", r.file); err != nil {
				return nil, err
			}
			if err := readThroughput(x.field("WarmThroughput"), "ReadUnitsPerSecond", "WriteUnitsPerSecond", &ix.Warm, ix.set, "Warm", r.file); err != nil {
				return nil, err
			}
		}
		out = append(out, ix)
	}
	return out, nil
}

// attributeTypes maps attribute names to their types from an
// AttributeDefinitions list.
func attributeTypes(v val, nameKey, typeKey string) (map[string]string, error) {
	list, err := v.list()
	if err != nil {
		return nil, err
	}
	types := map[string]string{}
	for _, a := range list {
		name, err := a.field(nameKey).str()
		if err != nil {
			return nil, err
		}
		typ, err := a.field(typeKey).oneOf("S", "N", "B")
		if err != nil {
			return nil, err
		}
		types[name] = typ
	}
	return types, nil
}

// keySchema reads a KeySchema list: one HASH element and at most one RANGE.
func keySchema(v val, types map[string]string, required bool) (pk, sk Key, err error) {
	list, err := v.list()
	if err != nil {
		return pk, sk, err
	}
	if len(list) == 0 && required {
		return pk, sk, v.expected("a key schema with a HASH key")
	}
	for _, k := range list {
		name, err := k.field("AttributeName").str()
		if err != nil {
			return pk, sk, err
		}
		kt, err := k.field("KeyType").oneOf("HASH", "RANGE")
		if err != nil {
			return pk, sk, err
		}
		key := Key{Name: name, Type: types[name]}
		switch {
		case kt == "HASH" && pk.Name == "":
			pk = key
		case kt == "RANGE" && sk.Name == "":
			sk = key
		default:
			return pk, sk, k.field("KeyType").errf("expected one HASH key and at most one RANGE key, got a second %s", kt)
		}
	}
	if pk.Name == "" && required {
		return pk, sk, v.expected("a key schema with a HASH key")
	}
	return pk, sk, nil
}

func projection(v val) (string, []string, error) {
	if !v.present() {
		return "ALL", nil, nil
	}
	typ, err := v.field("ProjectionType").oneOf("ALL", "KEYS_ONLY", "INCLUDE")
	if err != nil {
		return "", nil, err
	}
	list, err := v.field("NonKeyAttributes").list()
	if err != nil {
		return "", nil, err
	}
	var attrs []string
	for _, a := range list {
		s, err := a.str()
		if err != nil {
			return "", nil, err
		}
		attrs = append(attrs, s)
	}
	return typ, attrs, nil
}

func streamView(v val) (string, error) {
	if enabled := v.field("StreamEnabled"); enabled.present() {
		on, err := enabled.boolean()
		if err != nil || !on {
			return "", err
		}
	}
	return v.field("StreamViewType").oneOf("NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES", "KEYS_ONLY")
}

// readThroughput reads a pair of numbers of an optional object into to,
// recording field in Sources when present. A zero pair (an on-demand
// table's ProvisionedThroughput) or -1 (no maximum) counts as absent.
func readThroughput(v val, readKey, writeKey string, to *Throughput, set func(string, string), field, file string) error {
	if !v.present() {
		return nil
	}
	if _, err := v.object(); err != nil {
		return err
	}
	var err error
	for _, p := range []struct {
		key string
		to  *int64
	}{{readKey, &to.Reads}, {writeKey, &to.Writes}} {
		x := v.field(p.key)
		if !x.present() {
			continue
		}
		if minusOne(x.v) {
			continue // the API's "no maximum"
		}
		if *p.to, err = x.integer(); err != nil {
			return err
		}
	}
	if to.Reads != 0 || to.Writes != 0 {
		set(field, file)
	}
	return nil
}

// timeToLive reads describe-time-to-live output. It names no table: Merge
// gives it to the one table the other inputs describe.
func (r *reader) timeToLive(v val) error {
	if _, err := v.object(); err != nil {
		return err
	}
	status, err := v.field("TimeToLiveStatus").oneOf("ENABLED", "DISABLED", "ENABLING", "DISABLING")
	if err != nil {
		return err
	}
	t := r.table("")
	if status == "ENABLED" || status == "ENABLING" {
		if t.TTLAttribute, err = v.field("AttributeName").str(); err != nil {
			return err
		}
	}
	t.set("TTLAttribute", r.file)
	return nil
}

func minusOne(x any) bool {
	switch x := x.(type) {
	case json.Number:
		return x.String() == "-1"
	case int64:
		return x == -1
	case float64:
		return x == -1
	case string:
		return strings.TrimSpace(x) == "-1"
	}
	return false
}
