package server

import (
	"fmt"
	"hash/fnv"
	"time"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/scenarios"
	"github.com/ddbsim/ddbsim/sim"
)

// table is a served table: where it is simulated and what the API was
// told about it that the model does not keep.
type table struct {
	name    string
	sess    *session
	index   int      // the table's place in its session's service
	created sim.Time // virtual time of its creation
	active  sim.Time // when CREATING ends
	id      string

	attrs      []attributeDefinition
	keys       []keySchemaElement
	gsis, lsis []indexSpec
	stream     *streamSpecification
	class      string
	ttl        *timeToLiveSpecification

	// Times of the last changes DescribeTable reports, virtual.
	lastIncrease, lastDecrease, lastOnDemand *sim.Time

	// indexReady is when each global index UpdateTable created finishes
	// backfilling (CREATING until then), by name.
	indexReady map[string]sim.Time

	// streamSince is when the stream was last enabled by UpdateTable
	// (its label's time); 0 when it came with the table.
	streamSince sim.Time

	// data is the table's real items, made by the first data-plane call.
	data *dataTable
	// streamLog is the stream of the real items' changes (streams.go),
	// expiry their TTL deletions to come (ttl.go).
	streamLog *streamLog
	expiry    *expiryQueue
}

// streamStart is when the table's stream began: its label's time.
func (t *table) streamStart() sim.Time { return max(t.created, t.streamSince) }

// model returns the table in its session's service.
func (t *table) model() *model.Table { return t.sess.service().Tables()[t.index] }

// arn is the table's ARN.
func (s *Server) arn(name string) string {
	return fmt.Sprintf("arn:aws:dynamodb:%s:%s:table/%s", s.cfg.Region, s.cfg.Account, name)
}

// epoch turns virtual time into the epoch seconds the API reports:
// virtual time 0 is the wall time the session started.
func (s *Server) epoch(t sim.Time) float64 {
	return float64(s.start.Add(time.Duration(t)).UnixMilli()) / 1e3
}

// scenarioTable is the served view of the scenario's table i: active
// from the start, its definitions as the scenario gives them (keys are
// strings: the scenario's synthetic keys are).
func scenarioTable(s *Server, sess *session, i int, st *scenarios.Table) *table {
	t := &table{name: st.Name, sess: sess, index: i, id: tableID(st.Name, 0)}
	t.keys = keySchema(st.PartitionKey, st.SortKey)
	defined := map[string]bool{}
	define := func(names ...string) {
		for _, n := range names {
			if n != "" && !defined[n] {
				defined[n] = true
				t.attrs = append(t.attrs, attributeDefinition{AttributeName: n, AttributeType: "S"})
			}
		}
	}
	define(st.PartitionKey, st.SortKey)
	for _, ix := range st.Indexes {
		define(ix.PartitionKey, ix.SortKey)
		spec := indexSpec{IndexName: ix.Name, KeySchema: keySchema(ix.PartitionKey, ix.SortKey),
			Projection: projection{ProjectionType: projectionType(ix.Projection)}}
		if ix.Local {
			t.lsis = append(t.lsis, spec)
		} else {
			t.gsis = append(t.gsis, spec)
		}
	}
	if st.Stream != nil {
		view := map[string]string{"keys_only": "KEYS_ONLY", "new_image": "NEW_IMAGE", "old_image": "OLD_IMAGE"}[st.Stream.View]
		if view == "" {
			view = "NEW_AND_OLD_IMAGES"
		}
		t.stream = &streamSpecification{StreamEnabled: true, StreamViewType: view}
	}
	if st.TTL != nil {
		t.ttl = &timeToLiveSpecification{AttributeName: st.TTL.Attribute, Enabled: true}
	}
	t.class = "STANDARD"
	if st.TableClass == "standard-ia" {
		t.class = "STANDARD_INFREQUENT_ACCESS"
	}
	return t
}

func keySchema(pk, sk string) []keySchemaElement {
	ks := []keySchemaElement{{AttributeName: pk, KeyType: "HASH"}}
	if sk != "" {
		ks = append(ks, keySchemaElement{AttributeName: sk, KeyType: "RANGE"})
	}
	return ks
}

func projectionType(p string) string {
	switch p {
	case "keys_only":
		return "KEYS_ONLY"
	case "include":
		return "INCLUDE"
	}
	return "ALL"
}

// tableID is a table's TableId: a UUID-shaped name derived from its name
// and creation, stable across identical sessions.
func tableID(name string, created sim.Time) string {
	h := fnv.New128a()
	fmt.Fprintf(h, "%s@%d", name, created)
	b := h.Sum(nil)
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// tableScenario is the one-table scenario that simulates a table created
// through the API: its mode and capacity, keys, indexes and stream; items
// come from the data plane, so it starts empty and runs no workload.
func tableScenario(in *createTableInput, region string, horizon sim.Time) *scenarios.Scenario {
	t := scenarios.Table{Name: in.TableName, Mode: "on-demand", TableClass: "standard"}
	for _, k := range in.KeySchema {
		if k.KeyType == "HASH" {
			t.PartitionKey = k.AttributeName
		} else {
			t.SortKey = k.AttributeName
		}
	}
	if in.BillingMode != "PAY_PER_REQUEST" {
		t.Mode = "provisioned"
		t.ReadCapacity, t.WriteCapacity = in.ProvisionedThroughput.ReadCapacityUnits, in.ProvisionedThroughput.WriteCapacityUnits
	}
	if in.TableClass == "STANDARD_INFREQUENT_ACCESS" {
		t.TableClass = "standard-ia"
	}
	add := func(spec indexSpec, local bool) {
		ix := scenarios.Index{Name: spec.IndexName, Local: local, Coverage: 1}
		for _, k := range spec.KeySchema {
			if k.KeyType == "HASH" {
				ix.PartitionKey = k.AttributeName
			} else {
				ix.SortKey = k.AttributeName
			}
		}
		switch spec.Projection.ProjectionType {
		case "KEYS_ONLY":
			ix.Projection = "keys_only"
			ix.ProjectedSize = model.DefaultKeysOnlySize
		case "INCLUDE":
			ix.Projection, ix.ProjectedChanges = "include", 1
			ix.ProjectedSize = model.DefaultKeysOnlySize
		default:
			ix.Projection = "all"
		}
		if !local && t.Mode == "provisioned" && spec.ProvisionedThroughput != nil {
			ix.ReadCapacity, ix.WriteCapacity = spec.ProvisionedThroughput.ReadCapacityUnits, spec.ProvisionedThroughput.WriteCapacityUnits
		}
		t.Indexes = append(t.Indexes, ix)
	}
	for _, g := range in.GlobalSecondaryIndexes {
		add(g, false)
	}
	for _, l := range in.LocalSecondaryIndexes {
		add(l, true)
	}
	if ss := in.StreamSpecification; ss != nil && ss.StreamEnabled {
		view := map[string]string{"KEYS_ONLY": "keys_only", "NEW_IMAGE": "new_image", "OLD_IMAGE": "old_image"}[ss.StreamViewType]
		if view == "" {
			view = "new_and_old_images"
		}
		t.Stream = &scenarios.Stream{View: view}
	}
	return &scenarios.Scenario{
		File:     in.TableName + " (CreateTable)",
		Version:  1,
		Name:     in.TableName,
		Duration: time.Duration(horizon),
		Region:   region,
		Tables:   []scenarios.Table{t},
	}
}

// tableSeed derives an API table's seed from the session's and the
// table's name, so that a table's simulation does not depend on what
// else the session created.
func tableSeed(seed uint64, name string) uint64 {
	h := fnv.New64a()
	fmt.Fprintf(h, "%d/%s", seed, name)
	return h.Sum64()
}
