package model

import (
	"testing"

	"github.com/ddbsim/ddbsim/model/store"
	"github.com/ddbsim/ddbsim/model/units"
	"github.com/ddbsim/ddbsim/sim"
)

// A global index added while the service runs is a table of its own,
// holding the entries of the items already there, and a write reaches
// it; once dropped, writes do not, and it is no longer billed.
func TestAddAndDropGlobalIndex(t *testing.T) {
	svc, _ := newTestService(t, TableConfig{Name: "t", Mode: Provisioned, ReadCapacity: 100, WriteCapacity: 100,
		ItemCount: 50, ItemSize: 500})
	ic := IndexConfig{Name: "g", Schema: store.KeySchema{PartitionKey: "gk"}, Projection: ProjectAll, ReadCapacity: 10, WriteCapacity: 10}
	x, err := svc.AddGlobalIndex(0, 0, ic)
	if err != nil {
		t.Fatal(err)
	}
	if x != 1 || len(svc.Tables()) != 2 || svc.Tables()[x].Config().Name != "t/g" {
		t.Fatalf("index table %d of %d", x, len(svc.Tables()))
	}
	if base, name, ok := svc.Tables()[x].BaseTable(); !ok || base != 0 || name != "g" {
		t.Errorf("BaseTable() = %d, %q, %v", base, name, ok)
	}
	if _, err := svc.AddGlobalIndex(0, 0, ic); err == nil {
		t.Error("a second index of the same name was added")
	}
	put := Request{Op: units.OpPut, Key: []byte("k1"), Size: 500}
	if r := svc.Handle(sim.Second, &put); r.IndexWrite.Float() != 1 {
		t.Errorf("a put after the index was added: %v index WCU, want 1", r.IndexWrite)
	}
	if err := svc.DropGlobalIndex(sim.Second, 0, "g"); err != nil {
		t.Fatal(err)
	}
	if r := svc.Handle(2*sim.Second, &put); r.IndexWrite != 0 {
		t.Errorf("a put after the index was dropped: %v index WCU, want 0", r.IndexWrite)
	}
	before := svc.Tables()[x].Meter()
	svc.sampleTick(3 * sim.Second)
	if after := svc.Tables()[x].Meter(); after != before {
		t.Errorf("a dropped index was metered: %+v, then %+v", before, after)
	}
	if err := svc.DropGlobalIndex(0, 0, "g"); err == nil {
		t.Error("a dropped index was dropped again")
	}
}
