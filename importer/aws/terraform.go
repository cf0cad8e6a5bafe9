package aws

// terraform reads `terraform show -json` of a state ("values") or a plan
// ("planned_values"): the aws_dynamodb_table resources of the root module
// and its child modules. Values a plan does not know yet are null: absent.
func (r *reader) terraform(root val) error {
	values := root.field("values")
	if !values.present() {
		values = root.field("planned_values")
	}
	return r.terraformModule(values.field("root_module"), 0)
}

func (r *reader) terraformModule(m val, depth int) error {
	if !m.present() {
		return nil
	}
	if depth > 100 {
		return m.expected("modules nested at most 100 deep")
	}
	resources, err := m.field("resources").list()
	if err != nil {
		return err
	}
	for _, res := range resources {
		typ, err := res.field("type").str()
		if err != nil {
			return err
		}
		if mode, _ := res.field("mode").v.(string); mode == "data" {
			continue
		}
		switch typ {
		case "aws_dynamodb_table":
			if err := r.terraformTable(res.field("values")); err != nil {
				return err
			}
		case "aws_appautoscaling_target", "aws_appautoscaling_policy":
			if err := r.terraformScaling(res, typ); err != nil {
				return err
			}
		}
	}
	children, err := m.field("child_modules").list()
	if err != nil {
		return err
	}
	for _, c := range children {
		if err := r.terraformModule(c, depth+1); err != nil {
			return err
		}
	}
	return nil
}

// first is the one element of a terraform nested block list (ttl,
// on_demand_throughput, ...): absent when the list is empty or null.
func first(v val) (val, error) {
	list, err := v.list()
	if err != nil || len(list) == 0 {
		return val{d: v.d, path: v.path + "[0]"}, err
	}
	return list[0], nil
}

func (r *reader) terraformTable(v val) error {
	if _, err := v.object(); err != nil {
		return err
	}
	name, err := v.field("name").str()
	if err != nil {
		return err
	}
	t := r.table(name)
	types, err := attributeTypes(v.field("attribute"), "name", "type")
	if err != nil {
		return err
	}
	if t.PartitionKey, t.SortKey, err = tfKeys(v, types); err != nil {
		return err
	}
	t.set("PartitionKey", r.file)
	if t.SortKey.Name != "" {
		t.set("SortKey", r.file)
	}
	t.BillingMode = "PROVISIONED" // the provider's default
	if bm := v.field("billing_mode"); bm.present() {
		if t.BillingMode, err = bm.oneOf("PROVISIONED", "PAY_PER_REQUEST"); err != nil {
			return err
		}
	}
	t.set("BillingMode", r.file)
	if t.BillingMode == "PROVISIONED" {
		if err := readThroughput(v, "read_capacity", "write_capacity", &t.Provisioned, t.set, "Provisioned", r.file); err != nil {
			return err
		}
	}
	od, err := first(v.field("on_demand_throughput"))
	if err != nil {
		return err
	}
	if err := readThroughput(od, "max_read_request_units", "max_write_request_units", &t.OnDemandMax, t.set, "OnDemandMax", r.file); err != nil {
		return err
	}
	warm, err := first(v.field("warm_throughput"))
	if err != nil {
		return err
	}
	if err := readThroughput(warm, "read_units_per_second", "write_units_per_second", &t.Warm, t.set, "Warm", r.file); err != nil {
		return err
	}
	if tc := v.field("table_class"); tc.present() && tc.v != "" {
		if t.TableClass, err = tc.oneOf("STANDARD", "STANDARD_INFREQUENT_ACCESS"); err != nil {
			return err
		}
		t.set("TableClass", r.file)
	}
	if on := v.field("stream_enabled"); on.present() {
		enabled, err := on.boolean()
		if err != nil {
			return err
		}
		if enabled {
			if t.StreamView, err = v.field("stream_view_type").oneOf("NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES", "KEYS_ONLY"); err != nil {
				return err
			}
		}
		t.set("StreamView", r.file)
	}
	ttl, err := first(v.field("ttl"))
	if err != nil {
		return err
	}
	if ttl.present() {
		enabled, err := ttl.field("enabled").boolean()
		if err != nil {
			return err
		}
		if enabled {
			if t.TTLAttribute, err = ttl.field("attribute_name").str(); err != nil {
				return err
			}
		}
		t.set("TTLAttribute", r.file)
	}
	replicas, err := v.field("replica").list()
	if err != nil {
		return err
	}
	for _, rep := range replicas {
		region, err := rep.field("region_name").str()
		if err != nil {
			return err
		}
		t.Replicas = append(t.Replicas, region)
		t.set("Replicas", r.file)
	}
	for _, kind := range []struct {
		field  string
		global bool
		to     *[]IndexSpec
	}{{"global_secondary_index", true, &t.GlobalIndexes}, {"local_secondary_index", false, &t.LocalIndexes}} {
		list, err := v.field(kind.field).list()
		if err != nil {
			return err
		}
		for _, x := range list {
			ix, err := r.terraformIndex(x, types, t.PartitionKey, kind.global)
			if err != nil {
				return err
			}
			*kind.to = append(*kind.to, ix)
		}
	}
	return nil
}

// tfKeys reads hash_key and range_key.
func tfKeys(v val, types map[string]string) (pk, sk Key, err error) {
	if pk.Name, err = v.field("hash_key").str(); err != nil {
		return pk, sk, err
	}
	if sk.Name, err = v.field("range_key").optStr(); err != nil {
		return pk, sk, err
	}
	pk.Type, sk.Type = types[pk.Name], types[sk.Name]
	return pk, sk, nil
}

func (r *reader) terraformIndex(x val, types map[string]string, tablePK Key, global bool) (IndexSpec, error) {
	var ix IndexSpec
	var err error
	if ix.Name, err = x.field("name").str(); err != nil {
		return ix, err
	}
	if global {
		if ix.PartitionKey, ix.SortKey, err = tfKeys(x, types); err != nil {
			return ix, err
		}
	} else {
		ix.PartitionKey = tablePK
		if ix.SortKey.Name, err = x.field("range_key").str(); err != nil {
			return ix, err
		}
		ix.SortKey.Type = types[ix.SortKey.Name]
	}
	ix.set("PartitionKey", r.file)
	if ix.SortKey.Name != "" {
		ix.set("SortKey", r.file)
	}
	if ix.Projection, err = x.field("projection_type").oneOf("ALL", "KEYS_ONLY", "INCLUDE"); err != nil {
		return ix, err
	}
	ix.set("Projection", r.file)
	attrs, err := x.field("non_key_attributes").list()
	if err != nil {
		return ix, err
	}
	for _, a := range attrs {
		s, err := a.str()
		if err != nil {
			return ix, err
		}
		ix.NonKeyAttributes = append(ix.NonKeyAttributes, s)
		ix.set("NonKeyAttributes", r.file)
	}
	if global {
		if err := readThroughput(x, "read_capacity", "write_capacity", &ix.Provisioned, ix.set, "Provisioned", r.file); err != nil {
			return ix, err
		}
	}
	return ix, nil
}

// terraformScaling reads an aws_appautoscaling_target or
// aws_appautoscaling_policy. A plan may not know its resource_id yet (it
// is often built from the table's name): then it is skipped with a note.
func (r *reader) terraformScaling(res val, typ string) error {
	v := res.field("values")
	if _, err := v.object(); err != nil {
		return err
	}
	if !v.field("resource_id").present() {
		r.note("%s: %s with no resource_id known yet, skipped", res.path, typ)
		return nil
	}
	if typ == "aws_appautoscaling_target" {
		return r.scalableTarget(v, terraformScaling)
	}
	cfg, err := first(v.field(terraformScaling.config))
	if err != nil {
		return err
	}
	return r.scalingPolicy(v, cfg, terraformScaling)
}
