package aws

// Description is what a set of inputs says about its tables.
type Description struct {
	Tables []TableSpec
	// Notes are what a reader saw but could not use: intrinsic functions
	// left unresolved, resources of other types, policies it does not model.
	Notes []string
}

// Key is a key attribute: its name and its attribute type ("S", "N" or
// "B"; "" when the input does not say).
type Key struct {
	Name, Type string
}

// Scaling is an auto scaling range and target for reads or writes. Target
// is the target utilization in percent (70 for 70%).
type Scaling struct {
	Min, Max int64
	Target   float64
}

// Throughput is a pair of read and write figures: capacity units,
// request units or units per second, as the field that holds it says.
type Throughput struct {
	Reads, Writes int64
}

// IndexSpec is a secondary index.
type IndexSpec struct {
	Name                  string
	PartitionKey, SortKey Key
	// Projection is "ALL", "KEYS_ONLY" or "INCLUDE"; NonKeyAttributes are
	// INCLUDE's projected attributes.
	Projection       string
	NonKeyAttributes []string
	// Provisioned is a GSI's provisioned capacity, OnDemandMax its
	// on-demand maximum request units and Warm its warm throughput.
	Provisioned, OnDemandMax, Warm Throughput
	ReadScaling, WriteScaling      Scaling
	// Sources maps each field set (by Go name, "ReadScaling.Min" for a
	// nested one) to the file it came from.
	Sources map[string]string
}

// TableSpec is one table as the inputs describe it. A field is set when
// Sources has its name; an unset field is its zero value.
type TableSpec struct {
	Name                  string
	PartitionKey, SortKey Key
	// BillingMode is "PROVISIONED" or "PAY_PER_REQUEST".
	BillingMode string
	// Provisioned is the provisioned RCU and WCU, OnDemandMax the on-demand
	// maximum read and write request units per second, Warm the warm
	// throughput in units per second.
	Provisioned, OnDemandMax, Warm Throughput
	// TableClass is "STANDARD" or "STANDARD_INFREQUENT_ACCESS".
	TableClass    string
	GlobalIndexes []IndexSpec
	LocalIndexes  []IndexSpec
	// StreamView is the stream's view type ("NEW_AND_OLD_IMAGES", ...);
	// "" when the stream is off.
	StreamView string
	// Replicas are the regions of a global table's replicas.
	Replicas []string
	// ItemCount and TableSizeBytes are the service's (roughly six-hourly)
	// figures.
	ItemCount, TableSizeBytes int64
	// TTLAttribute is the time-to-live attribute; "" when TTL is off.
	TTLAttribute              string
	ReadScaling, WriteScaling Scaling
	// Sources maps each field set (by Go name, "ReadScaling.Min" for a
	// nested one) to the file it came from.
	Sources map[string]string
}

// MeanItemSize is TableSizeBytes / ItemCount, rounded up, when both are
// known and the table is not empty.
func (t TableSpec) MeanItemSize() (int64, bool) {
	_, okCount := t.Sources["ItemCount"]
	_, okSize := t.Sources["TableSizeBytes"]
	if !okCount || !okSize || t.ItemCount <= 0 {
		return 0, false
	}
	return (t.TableSizeBytes + t.ItemCount - 1) / t.ItemCount, true
}

// Index returns the table's GSI or LSI of that name.
func (t *TableSpec) Index(name string) *IndexSpec {
	for i := range t.GlobalIndexes {
		if t.GlobalIndexes[i].Name == name {
			return &t.GlobalIndexes[i]
		}
	}
	for i := range t.LocalIndexes {
		if t.LocalIndexes[i].Name == name {
			return &t.LocalIndexes[i]
		}
	}
	return nil
}

func (t *TableSpec) set(field, file string) {
	if t.Sources == nil {
		t.Sources = map[string]string{}
	}
	t.Sources[field] = file
}

func (ix *IndexSpec) set(field, file string) {
	if ix.Sources == nil {
		ix.Sources = map[string]string{}
	}
	ix.Sources[field] = file
}
