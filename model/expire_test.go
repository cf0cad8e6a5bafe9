package model

import (
	"testing"

	"github.com/ddbsim/ddbsim/model/store"
	"github.com/ddbsim/ddbsim/model/units"
)

// A deletion for a TTL decided outside the model, on a table without a
// TTL of its own, takes the item and its bytes off the table and charges
// nothing; a second one finds nothing.
func TestDeleteExpiredIsFree(t *testing.T) {
	svc, rec := newTestService(t, TableConfig{Name: "t", ReadCapacity: 100, WriteCapacity: 100})
	tb := svc.Tables()[0]
	key := store.AppendSyntheticKey(nil, 7)
	handleAt(t, svc, 0, Request{Op: units.OpPut, Key: key, Size: 2000})
	read, write := rec.consumedRead, rec.consumedWrite
	if tb.Store().Len() != 1 || tb.Store().Bytes() != 2000 {
		t.Fatalf("after the put: %d items, %d B", tb.Store().Len(), tb.Store().Bytes())
	}
	if !svc.DeleteExpired(1, 0, key, 0) {
		t.Fatal("DeleteExpired found no item")
	}
	if tb.Store().Len() != 0 || tb.Store().Bytes() != 0 || tb.parts[0].bytes != 0 {
		t.Errorf("after the deletion: %d items, %d B (partition %d B); want none", tb.Store().Len(), tb.Store().Bytes(), tb.parts[0].bytes)
	}
	if rec.consumedRead != read || rec.consumedWrite != write {
		t.Errorf("the deletion consumed capacity: %v -> %v WCU, %v -> %v RCU", write, rec.consumedWrite, read, rec.consumedRead)
	}
	if svc.DeleteExpired(2, 0, key, 0) {
		t.Error("a second DeleteExpired found the item again")
	}
}
