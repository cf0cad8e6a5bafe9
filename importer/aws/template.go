package aws

import (
	"slices"
	"strconv"
	"strings"
)

// template reads a CloudFormation or SAM template's AWS::DynamoDB::Table,
// AWS::DynamoDB::GlobalTable and AWS::Serverless::SimpleTable resources.
// A Ref to a template parameter with a Default takes the default; any
// other intrinsic function (!Sub, !GetAtt, !If, ...) is left unresolved:
// the field counts as absent, and a note says so.
func (r *reader) template(root val) error {
	resources, err := root.field("Resources").object()
	if err != nil {
		return err
	}
	params, _ := root.field("Parameters").v.(map[string]any)
	for _, id := range slices.Sorted(func(yield func(string) bool) {
		for k := range resources {
			if !yield(k) {
				return
			}
		}
	}) {
		res := root.field("Resources").field(id)
		typ, err := res.field("Type").str()
		if err != nil {
			return err
		}
		props := res.field("Properties")
		if props.present() {
			if _, err := props.object(); err != nil {
				return err
			}
		}
		props.v = r.resolve(props.path, props.v, params)
		switch typ {
		case "AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable":
			err = r.templateTable(id, typ, props)
		case "AWS::Serverless::SimpleTable":
			err = r.simpleTable(id, props)
		default:
			if strings.HasPrefix(typ, "AWS::ApplicationAutoScaling::") {
				r.note("%s: %s not read: use describe-scalable-targets and describe-scaling-policies output", res.path, typ)
			}
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// resolve replaces Refs to parameters with their defaults and drops other
// intrinsic functions, noting each.
func (r *reader) resolve(path string, v any, params map[string]any) any {
	switch x := v.(type) {
	case map[string]any:
		if fn := intrinsic(x); fn != "" {
			if name, ok := x["Ref"].(string); ok {
				if p, ok := params[name].(map[string]any); ok && p["Default"] != nil {
					r.note("%s: !Ref %s: the parameter's default %v taken", path, name, p["Default"])
					return p["Default"]
				}
			}
			r.note("%s: %s left unresolved", path, strings.TrimPrefix(fn, "Fn::"))
			return nil
		}
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = r.resolve(path+"."+k, e, params)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = r.resolve(path+"["+strconv.Itoa(i)+"]", e, params)
		}
		return out
	}
	return v
}

func (r *reader) templateTable(id, typ string, p val) error {
	name, err := p.field("TableName").optStr()
	if err != nil {
		return err
	}
	if name == "" {
		name = id
		r.note("%s: no TableName: the logical id %s used", p.path, id)
	}
	t := r.table(name)
	types, err := attributeTypes(p.field("AttributeDefinitions"), "AttributeName", "AttributeType")
	if err != nil {
		return err
	}
	if t.PartitionKey, t.SortKey, err = keySchema(p.field("KeySchema"), types, true); err != nil {
		return err
	}
	t.set("PartitionKey", r.file)
	if t.SortKey.Name != "" {
		t.set("SortKey", r.file)
	}
	t.BillingMode = "PROVISIONED" // the template default
	if bm := p.field("BillingMode"); bm.present() {
		if t.BillingMode, err = bm.oneOf("PROVISIONED", "PAY_PER_REQUEST"); err != nil {
			return err
		}
	}
	t.set("BillingMode", r.file)
	if err := readThroughput(p.field("ProvisionedThroughput"), "ReadCapacityUnits", "WriteCapacityUnits", &t.Provisioned, t.set, "Provisioned", r.file); err != nil {
		return err
	}
	if err := readThroughput(p.field("OnDemandThroughput"), "MaxReadRequestUnits", "MaxWriteRequestUnits", &t.OnDemandMax, t.set, "OnDemandMax", r.file); err != nil {
		return err
	}
	if err := readThroughput(p.field("WarmThroughput"), "ReadUnitsPerSecond", "WriteUnitsPerSecond", &t.Warm, t.set, "Warm", r.file); err != nil {
		return err
	}
	if tc := p.field("TableClass"); tc.present() {
		if t.TableClass, err = tc.oneOf("STANDARD", "STANDARD_INFREQUENT_ACCESS"); err != nil {
			return err
		}
		t.set("TableClass", r.file)
	}
	// A view left unresolved (noted) leaves the stream unknown.
	if s := p.field("StreamSpecification"); s.present() && s.field("StreamViewType").present() {
		if t.StreamView, err = streamView(s); err != nil {
			return err
		}
		t.set("StreamView", r.file)
	}
	if ttl := p.field("TimeToLiveSpecification"); ttl.present() {
		on, err := ttl.field("Enabled").boolean()
		if err != nil {
			return err
		}
		if on {
			if t.TTLAttribute, err = ttl.field("AttributeName").str(); err != nil {
				return err
			}
		}
		t.set("TTLAttribute", r.file)
	}
	if t.GlobalIndexes, err = r.indexes(p.field("GlobalSecondaryIndexes"), types, true); err != nil {
		return err
	}
	if t.LocalIndexes, err = r.indexes(p.field("LocalSecondaryIndexes"), types, false); err != nil {
		return err
	}
	if typ != "AWS::DynamoDB::GlobalTable" {
		return nil
	}
	replicas, err := p.field("Replicas").list()
	if err != nil {
		return err
	}
	for _, rep := range replicas {
		if !rep.field("Region").present() {
			continue // an unresolved intrinsic, noted
		}
		region, err := rep.field("Region").str()
		if err != nil {
			return err
		}
		t.Replicas = append(t.Replicas, region)
		t.set("Replicas", r.file)
	}
	if len(replicas) > 0 {
		r.note("%s: the replicas' own read capacity and settings not read", p.field("Replicas").path)
	}
	if err := r.globalTableWrites(p.field("WriteProvisionedThroughputSettings"), &t.WriteScaling, t.set); err != nil {
		return err
	}
	gsis, _ := p.field("GlobalSecondaryIndexes").list()
	for i, g := range gsis {
		ix := &t.GlobalIndexes[i]
		if err := r.globalTableWrites(g.field("WriteProvisionedThroughputSettings"), &ix.WriteScaling, ix.set); err != nil {
			return err
		}
	}
	return nil
}

// globalTableWrites reads a global table's write auto scaling settings.
func (r *reader) globalTableWrites(v val, s *Scaling, set func(string, string)) error {
	a := v.field("WriteCapacityAutoScalingSettings")
	if !a.present() {
		return nil
	}
	var err error
	if s.Min, err = a.field("MinCapacity").integer(); err != nil {
		return err
	}
	if s.Max, err = a.field("MaxCapacity").integer(); err != nil {
		return err
	}
	if s.Target, err = a.field("TargetTrackingScalingPolicyConfiguration").field("TargetValue").number(); err != nil {
		return err
	}
	for _, f := range []string{"Min", "Max", "Target"} {
		set("WriteScaling."+f, r.file)
	}
	return nil
}

// simpleTable reads SAM's AWS::Serverless::SimpleTable: a partition key
// and, without ProvisionedThroughput, on-demand billing.
func (r *reader) simpleTable(id string, p val) error {
	name, err := p.field("TableName").optStr()
	if err != nil {
		return err
	}
	if name == "" {
		name = id
	}
	t := r.table(name)
	t.PartitionKey = Key{Name: "id", Type: "S"} // SAM's default primary key
	if pk := p.field("PrimaryKey"); pk.present() {
		if t.PartitionKey.Name, err = pk.field("Name").str(); err != nil {
			return err
		}
		typ, err := pk.field("Type").oneOf("String", "Number", "Binary")
		if err != nil {
			return err
		}
		t.PartitionKey.Type = typ[:1]
	}
	t.set("PartitionKey", r.file)
	t.BillingMode = "PAY_PER_REQUEST"
	if pt := p.field("ProvisionedThroughput"); pt.present() {
		t.BillingMode = "PROVISIONED"
		if err := readThroughput(pt, "ReadCapacityUnits", "WriteCapacityUnits", &t.Provisioned, t.set, "Provisioned", r.file); err != nil {
			return err
		}
	}
	t.set("BillingMode", r.file)
	return nil
}
