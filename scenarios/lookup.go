package scenarios

import "slices"

// What a scenario implies beyond its fields: the answers that whoever
// turns a Scenario into a running simulation needs, kept here so that
// they follow the same rules the parser checks.

// Table returns the scenario's table named name, or nil.
func (sc *Scenario) Table(name string) *Table { return tableOf(sc, name) }

// HomeRegion is the region of t's home replica: its first replica, or
// the scenario's region for a table in one region.
func (sc *Scenario) HomeRegion(t *Table) string { return homeRegion(t, sc.Region) }

// ClusterOf returns the DAX cluster in front of t: its own, or the shared
// one when that serves it; nil for none.
func (sc *Scenario) ClusterOf(t *Table) *DAX { return clusterOf(sc.DAX, t) }

// Index returns the index of t named name, or nil.
func (t *Table) Index(name string) *Index { return indexOf(t, name) }

// KeyCount is how many partition keys t holds: its items over the items a
// key has, or a global index's default key count when it has no items.
func (t Table) KeyCount() int64 { return tableKeyCount(t) }

// StreamViews are the values of stream.view, in stream.View order
// (the first is stream.View 1).
func StreamViews() []string { return slices.Clone(streamViews) }

// PricedRegions lists the regions the price data prices (over's file,
// else the built-in), sorted.
func PricedRegions(over Prices) ([]string, error) {
	data, err := loadPrices(over)
	if err != nil {
		return nil, err
	}
	return regionsOf(data), nil
}

// ReplicaPriceNote says that a replica is billed at its home region's
// prices for want of its own region's.
func (sc *Scenario) ReplicaPriceNote(replica, region, home string) string {
	return replicaPriceNote(sc, replica, region, home)
}
