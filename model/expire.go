package model

import "github.com/ddbsim/ddbsim/sim"

// DeleteExpired deletes the item at (key, sk) of table as the service's
// TTL process does (REFERENCE: ttl): free of write units, its index
// entries going with it, logged in the table's stream as a deletion by the
// service, and replicated. It is for a caller that decides expiry itself
// from the items' real attributes (a served table), whatever the table's
// own TTL configuration; it reports whether the item was there.
func (s *Service) DeleteExpired(now sim.Time, table int, key []byte, sk int64) bool {
	return s.ttlDelete(now, s.tables[table], key, sk)
}
