package ddbsim

// The model's configuration of what a scenario's tables carry: indexes,
// streams, TTL, replicas and their lags and prices, DAX clusters and
// region outages.

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/model/billing"
	"github.com/ddbsim/ddbsim/model/cache"
	"github.com/ddbsim/ddbsim/model/capacity"
	"github.com/ddbsim/ddbsim/model/latency"
	"github.com/ddbsim/ddbsim/model/store"
	"github.com/ddbsim/ddbsim/model/stream"
	"github.com/ddbsim/ddbsim/model/ttl"
	"github.com/ddbsim/ddbsim/scenarios"
	"github.com/ddbsim/ddbsim/sim"
	"github.com/ddbsim/ddbsim/workload"
)

// indexConfigs turns a table's indexes into the model's.
func indexConfigs(t scenarios.Table) []model.IndexConfig {
	var out []model.IndexConfig
	for _, ix := range t.Indexes {
		c := model.IndexConfig{
			Name:             ix.Name,
			Local:            ix.Local,
			Schema:           store.KeySchema{PartitionKey: ix.PartitionKey, SortKey: ix.SortKey},
			ProjectedSize:    ix.ProjectedSize,
			Coverage:         ix.Coverage,
			KeyChanges:       ix.KeyChanges,
			ProjectedChanges: ix.ProjectedChanges,
		}
		switch ix.Projection {
		case "keys_only":
			c.Projection = model.ProjectKeysOnly
		case "include":
			c.Projection = model.ProjectInclude
		}
		if !ix.Local {
			c.Keys = ix.Keys.Count
			if c.Keys <= 0 {
				c.Keys = t.KeyCount()
			}
			if ix.Keys.Distribution == "zipf" {
				c.Exponent = ix.Keys.Exponent
			}
			if t.Mode != "on-demand" {
				// A table made provisioned after parsing (ddbsim compare)
				// gives its capacity to indexes that have none.
				c.ReadCapacity, c.WriteCapacity = cmp.Or(ix.ReadCapacity, t.ReadCapacity), cmp.Or(ix.WriteCapacity, t.WriteCapacity)
				if a := ix.AutoScaling; a != nil {
					c.AutoScaling = &capacity.AutoScaling{Target: a.Target, Min: a.Min, Max: a.Max}
				}
			}
		}
		out = append(out, c)
	}
	return out
}

// streamConfig turns a stream into the model's; nil for none.
func streamConfig(s *scenarios.Stream) *stream.Config {
	if s == nil {
		return nil
	}
	c := &stream.Config{View: stream.NewAndOldImages}
	for i, name := range scenarios.StreamViews() {
		if s.View == name {
			c.View = stream.View(i + 1)
		}
	}
	for _, x := range s.Consumers {
		kind := stream.ConsumerLambda
		if x.Kind == "client" {
			kind = stream.ConsumerClient
		}
		c.Consumers = append(c.Consumers, stream.ConsumerConfig{
			Name:            x.Name,
			Kind:            kind,
			BatchSize:       int(x.BatchSize),
			Parallelization: int(max(1, x.Parallelization)),
			ProcessingTime:  sim.FromDuration(x.ProcessingTime),
			FailureRatio:    x.FailureRatio,
		})
	}
	return c
}

// ttlConfig turns a time to live into the model's; nil for none.
func ttlConfig(x *scenarios.TTL) *ttl.Config {
	if x == nil {
		return nil
	}
	return &ttl.Config{Attribute: x.Attribute, ExpireAfter: sim.FromDuration(x.ExpireAfter)}
}

// replicationLags turns t's lags into the model's: its default between
// every two replicas, both ways, then the pairs it gives.
func replicationLags(t scenarios.Table) []model.ReplicationLag {
	var out []model.ReplicationLag
	lognormal := func(median, p99 time.Duration) latency.Lognormal {
		return latency.Lognormal{Median: sim.FromDuration(median), P99: sim.FromDuration(p99)}
	}
	if d := t.ReplicationLag; d != nil {
		for _, from := range t.Replicas {
			for _, to := range t.Replicas {
				if from != to {
					out = append(out, model.ReplicationLag{From: from, To: to, Lag: lognormal(d.Median, d.P99)})
				}
			}
		}
	}
	for _, l := range t.ReplicationLags {
		ml := model.ReplicationLag{From: l.From, To: l.To, Lag: lognormal(l.Median, l.P99)}
		if i := slices.IndexFunc(out, func(x model.ReplicationLag) bool { return x.From == l.From && x.To == l.To }); i >= 0 {
			out[i] = ml
		} else {
			out = append(out, ml)
		}
	}
	return out
}

// replicaPriceBooks prices the service's tables after the scenario's:
// a replica at its region's prices for its home table's class and term
// (the home region's when the price data has none for it; notes says so),
// an index at its table's (REFERENCE: gsi). books holds the scenario
// tables' books and grows to one per service table.
func replicaPriceBooks(sc *scenarios.Scenario, svc *model.Service, books []billing.PriceBook) ([]billing.PriceBook, []string, error) {
	var notes []string
	priced, err := scenarios.PricedRegions(sc.Prices)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", sc.File, err)
	}
	for i, t := range svc.Tables() {
		if i < len(books) {
			continue
		}
		if home, ok := t.ReplicaOf(); ok && home >= 0 && home < len(sc.Tables) {
			ht := sc.Tables[home]
			region := t.Region()
			if !slices.Contains(priced, region) {
				notes = append(notes, sc.ReplicaPriceNote(t.Name(), region, sc.HomeRegion(&ht)))
				books = append(books, books[home])
				continue
			}
			term := ""
			if ht.Reserved != nil {
				term = ht.Reserved.Term
			}
			book, err := scenarios.PriceBook(region, ht.TableClass, sc.Prices, term)
			if err != nil {
				return nil, nil, fmt.Errorf("%s: replica %s: %w", sc.File, t.Name(), err)
			}
			books = append(books, book)
			continue
		}
		base, _, ok := t.BaseTable()
		if !ok || base < 0 || base >= len(books) {
			return nil, nil, fmt.Errorf("%s: service table %s is neither a table of the scenario, nor a replica, nor an index of one", sc.File, t.Name())
		}
		books = append(books, books[base])
	}
	return books, notes, nil
}

// daxConfig turns a cluster into the model's.
func daxConfig(d *scenarios.DAX) cache.ClusterConfig {
	return cache.ClusterConfig{
		Name:            d.Name,
		Nodes:           d.Nodes,
		NodeType:        d.NodeType,
		ItemTTL:         sim.FromDuration(d.ItemTTL), // 0: the model's default
		QueryTTL:        sim.FromDuration(d.QueryTTL),
		ItemCacheItems:  d.ItemCacheItems,
		QueryCacheItems: d.QueryCacheItems,
	}
}

// addFaults schedules the scenario's region outages.
func addFaults(sc *scenarios.Scenario, svc *model.Service) {
	for _, f := range sc.Faults {
		svc.AddFault(model.Fault{Region: f.Region, At: sim.FromDuration(f.At), Outage: sim.FromDuration(f.Outage)})
	}
}

// placeWorkload points cfg at the replica of w's region and lists the
// other replicas, in the order of the table's replicas:, for the client
// to fail over to. Until the service makes replicas, a workload stays on
// its table.
func placeWorkload(sc *scenarios.Scenario, w scenarios.Workload, svc *model.Service, cfg *workload.Config) {
	cfg.FailoverAfter = sim.FromDuration(sc.Client.FailoverAfter)
	t := sc.Table(w.Table)
	if t == nil {
		return
	}
	own := w.Region
	if own == "" {
		own = sc.HomeRegion(t)
	}
	region := own
	if own == sc.HomeRegion(t) {
		region = "" // the table itself, whatever region the service gives it
	}
	if i, ok := svc.TableIn(t.Name, region); ok {
		cfg.Table = i
	}
	for _, r := range t.Replicas {
		if r == own {
			continue
		}
		if r == t.Replicas[0] {
			r = ""
		}
		if i, ok := svc.TableIn(t.Name, r); ok && i != cfg.Table {
			cfg.Failover = append(cfg.Failover, i)
		}
	}
}
