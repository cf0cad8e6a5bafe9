package server

import (
	"slices"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/store"
	"github.com/ddbsim/ddbsim/server/items"
	"github.com/ddbsim/ddbsim/sim"
)

// UpdateTable's GlobalSecondaryIndexUpdates: one global index created,
// deleted or given new capacity per call, as the service allows. A new
// index is filled at once with the entries of the items already there (a
// backfill the service spreads over minutes at an unpublished rate), and
// stays CREATING, with Backfilling true and refusing reads, for the
// model's update delay; a deleted one is gone at once (DELETING is not
// shown), its capacity no longer billed.

// checkIndexUpdates refuses what the service refuses before looking at
// the table.
func checkIndexUpdates(in *updateTableInput) error {
	us := in.GlobalSecondaryIndexUpdates
	if len(us) == 0 {
		return nil
	}
	if len(us) > 1 {
		return limitf("Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table")
	}
	u := us[0]
	n := 0
	for _, set := range []bool{u.Create != nil, u.Delete != nil, u.Update != nil} {
		if set {
			n++
		}
	}
	if n != 1 {
		return validationf("One or more parameter values were invalid: One of GlobalSecondaryIndexUpdate.Create, Update or Delete must be provided")
	}
	if c := u.Create; c != nil {
		if err := checkTableName("indexName", c.IndexName); err != nil {
			return err
		}
		defined := map[string]bool{}
		for _, a := range in.AttributeDefinitions {
			defined[a.AttributeName] = true
		}
		for _, k := range c.KeySchema {
			if !defined[k.AttributeName] {
				return invalidf("Global Secondary Index %s key not specified in Attribute Definitions.Type unknown.",
					map[string]string{"HASH": "hash", "RANGE": "range"}[k.KeyType])
			}
		}
		if len(c.KeySchema) == 0 || c.KeySchema[0].KeyType != "HASH" {
			return invalidf("Invalid KeySchema: The first KeySchemaElement is not a HASH key type")
		}
	}
	return nil
}

// updateIndex applies the one GlobalSecondaryIndexUpdate of in to t at
// now (on the loop).
func (s *Server) updateIndex(t *table, in *updateTableInput, now sim.Time) error {
	u := in.GlobalSecondaryIndexUpdates[0]
	local := now - t.sess.offset
	svc := t.sess.service()
	find := func(name string) (int, bool) {
		i := slices.IndexFunc(t.gsis, func(g indexSpec) bool { return g.IndexName == name })
		return i, i >= 0
	}
	switch {
	case u.Create != nil:
		c := u.Create
		if _, ok := find(c.IndexName); ok || slices.ContainsFunc(t.lsis, func(l indexSpec) bool { return l.IndexName == c.IndexName }) {
			return validationf("One or more parameter values were invalid: Attempting to create an index which already exists")
		}
		for _, a := range in.AttributeDefinitions {
			if i := slices.IndexFunc(t.attrs, func(d attributeDefinition) bool { return d.AttributeName == a.AttributeName }); i < 0 {
				t.attrs = append(t.attrs, a)
			} else if t.attrs[i].AttributeType != a.AttributeType {
				return invalidf("Cannot change the type of attribute %s, %s to %s", a.AttributeName, t.attrs[i].AttributeType, a.AttributeType)
			}
		}
		ic := model.IndexConfig{Name: c.IndexName, Coverage: 1}
		for _, k := range c.KeySchema {
			if k.KeyType == "HASH" {
				ic.Schema.PartitionKey = k.AttributeName
			} else {
				ic.Schema.SortKey = k.AttributeName
			}
		}
		switch c.Projection.ProjectionType {
		case "KEYS_ONLY":
			ic.Projection, ic.ProjectedSize = model.ProjectKeysOnly, model.DefaultKeysOnlySize
		case "INCLUDE":
			ic.Projection, ic.ProjectedSize = model.ProjectInclude, model.DefaultKeysOnlySize
		}
		if t.model().Mode() == model.Provisioned {
			if c.ProvisionedThroughput == nil {
				return invalidf("ProvisionedThroughput must be specified for index: %s", c.IndexName)
			}
			ic.ReadCapacity, ic.WriteCapacity = c.ProvisionedThroughput.ReadCapacityUnits, c.ProvisionedThroughput.WriteCapacityUnits
		}
		if _, err := t.sess.sim.AddGlobalIndex(local, t.index, ic); err != nil {
			return limitf("%v", err)
		}
		t.gsis = append(t.gsis, *c)
		if t.indexReady == nil {
			t.indexReady = map[string]sim.Time{}
		}
		t.indexReady[c.IndexName] = now + updateDelay
		if d := t.data; d != nil {
			d.types[ic.Schema.PartitionKey] = kindOf(t.attrs, ic.Schema.PartitionKey)
			if ic.Schema.SortKey != "" {
				d.types[ic.Schema.SortKey] = kindOf(t.attrs, ic.Schema.SortKey)
			}
			d.items.AddIndex(items.IndexDef{Name: ic.Name, Schema: ic.Schema, Projection: ic.Projection, Include: c.Projection.NonKeyAttributes})
			d.indexes[ic.Name] = len(d.items.Indexes()) - 1
		}
	case u.Delete != nil:
		i, ok := find(u.Delete.IndexName)
		if !ok {
			return &APIError{Type: errResourceNotFound, Status: 400, Message: "Requested resource not found: Index: " + u.Delete.IndexName + " not found"}
		}
		if err := svc.DropGlobalIndex(local, t.index, u.Delete.IndexName); err != nil {
			return validationf("%v", err)
		}
		t.gsis = slices.Delete(t.gsis, i, i+1)
		delete(t.indexReady, u.Delete.IndexName)
		if d := t.data; d != nil {
			d.items.DropIndex(u.Delete.IndexName)
			delete(d.indexes, u.Delete.IndexName)
		}
	case u.Update != nil:
		if _, ok := find(u.Update.IndexName); !ok {
			return &APIError{Type: errResourceNotFound, Status: 400, Message: "Requested resource not found: Index: " + u.Update.IndexName + " not found"}
		}
		p := u.Update.ProvisionedThroughput
		if p == nil || t.model().Mode() != model.Provisioned {
			return validationf("One or more parameter values were invalid: ProvisionedThroughput can be updated only on a provisioned table's index")
		}
		if err := checkThroughput(p); err != nil {
			return err
		}
		for _, x := range svc.Tables() {
			if base, name, ok := x.BaseTable(); ok && base == t.index && name == u.Update.IndexName && !x.Dropped() {
				if !svc.UpdateTable(local, x.Index(), model.CapacityChange{Read: p.ReadCapacityUnits, Write: p.WriteCapacityUnits}) {
					return limitf("Subscriber limit exceeded: Provisioned throughput decreases are limited within a given UTC day. Index: %s", u.Update.IndexName)
				}
			}
		}
	}
	return nil
}

// kindOf is the kind an attribute is defined with.
func kindOf(defs []attributeDefinition, name string) store.Kind {
	for _, a := range defs {
		if a.AttributeName == name {
			return map[string]store.Kind{"S": store.KindString, "N": store.KindNumber, "B": store.KindBinary}[a.AttributeType]
		}
	}
	return store.KindNone
}

// backfilling refuses a read of a global index still CREATING.
func (d *dataTable) backfilling(name string, now sim.Time) error {
	if ready, ok := d.t.indexReady[name]; ok && now < ready {
		return validationf("Cannot read from backfilling global secondary index: %s", name)
	}
	return nil
}
