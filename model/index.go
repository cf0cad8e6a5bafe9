package model

// Secondary indexes (REFERENCE: gsi).
//
// A global secondary index (GSI) is, to the model, a table of its own: its
// partitions, capacity (provisioned, auto scaled, or on-demand following
// its base table), burst, splits and bill are the table machinery's,
// under the name "<table>/<index>". What it stores is not items but, for
// each value of its partition key, how many index entries carry it and
// their bytes: enough to price a query and to split partitions, at 16
// bytes per key value instead of a copy of every item.
//
// The model does not know attribute values, so an index says, as numbers,
// what the application's items do: how many distinct values its
// partition key takes and how popular each is (Keys, Exponent), how many
// items carry it (Coverage, a sparse index), and how often an overwrite
// changes the indexed key or only a projected attribute (KeyChanges,
// ProjectedChanges). The value of an item's index key is a deterministic
// function of the item and of how many times its index key has changed,
// drawn from that popularity, so the same item lands on the same index
// partition until a write moves it.
//
// A local secondary index (LSI) has the table's partition key: its
// entries live on the table's own partitions, its writes are charged to
// the table's write capacity, and each item collection (the items of
// one partition key with their LSI entries) is capped at 10 GB.

// Projection says which attributes an index copies from the table.
type Projection uint8

const (
	// ProjectAll copies every attribute: an index entry is as large as
	// its item, and every change to an item changes its entry.
	ProjectAll Projection = iota
	// ProjectKeysOnly copies only the table's and the index's keys.
	ProjectKeysOnly
	// ProjectInclude copies the keys and some other attributes.
	ProjectInclude
)

func (p Projection) String() string {
	switch p {
	case ProjectKeysOnly:
		return "keys_only"
	case ProjectInclude:
		return "include"
	}
	return "all"
}

// DefaultKeysOnlySize is the size of a keys-only index entry when the
// scenario does not give one: a table key and an index key of a few dozen
// bytes each, under the 1 KB that one write unit covers.
const DefaultKeysOnlySize = 100

// IndexConfig describes a secondary index as a scenario declares it.
type IndexConfig struct {
	Name string
	// Local makes it a local secondary index: the table's partition key,
	// its own sort key, the table's partitions and capacity.
	Local  bool
	Schema KeySchema
	// Projection and, for ProjectKeysOnly and ProjectInclude,
	// ProjectedSize, the bytes of one index entry (0: DefaultKeysOnlySize
	// for keys only). ProjectAll entries are as large as their items.
	Projection    Projection
	ProjectedSize int64
	// Keys is the number of distinct values of a GSI's partition key
	// (at least 1); Exponent > 0 gives them Zipf popularity with that
	// exponent (value 0 the most popular), 0 equal popularity. Queries
	// name value v as the synthetic key "k<v>" (AppendSyntheticKey).
	Keys     int64
	Exponent float64
	// Coverage is the share of items that carry the index's key
	// attributes, in (0, 1]: below 1 the index is sparse, and items
	// without the attributes cost it nothing.
	Coverage float64
	// KeyChanges is the share of writes over an existing item that
	// change its index key: 2 index writes, a delete and a put
	// (REFERENCE: gsi).
	KeyChanges float64
	// ProjectedChanges is, for ProjectInclude, the share of the other
	// overwrites that change a projected attribute: 1 index write. A
	// ProjectAll index sees every overwrite as one; ProjectKeysOnly none.
	ProjectedChanges float64
	// ReadCapacity and WriteCapacity are a GSI's provisioned capacity
	// when its table is provisioned; an LSI has none of its own.
	ReadCapacity, WriteCapacity int64
	// AutoScaling adjusts a provisioned GSI's capacity on its own.
	AutoScaling *AutoScaling
}
