package server

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/ddbsim/ddbsim/model"
	"github.com/ddbsim/ddbsim/sim"
)

// The control plane: tables created, described, updated and deleted, and
// the account's limits. Requests are checked off the loop; what reads or
// changes the session runs on it.

// updateDelay is how long a table stays CREATING, and a capacity change
// UPDATING: the model's update delay.
var updateDelay = model.DefaultParams().UpdateDelay

func createTable(s *Server, r *Request) (any, error) {
	var in createTableInput
	if err := decode(r.Body, &in); err != nil {
		return nil, err
	}
	if err := checkCreate(&in); err != nil {
		return nil, err
	}
	var out tableDescription
	err := s.call(func(now sim.Time) error {
		if _, ok := s.tables[in.TableName]; ok {
			return inUsef("Table already exists: %s", in.TableName)
		}
		if s.created >= s.maxTables {
			return limitf("Subscriber limit exceeded: this session may create at most %d tables through the API", s.maxTables)
		}
		sc := tableScenario(&in, s.cfg.Region, max(s.horizon-now, sim.Second))
		sc.Prices = s.cfg.Prices
		sess, err := s.newSession(s.outputDir(in.TableName), sc, tableSeed(s.cfg.Seed, in.TableName), now)
		if err != nil {
			return &APIError{Type: errValidation, Status: 400, Message: err.Error()}
		}
		s.created++
		t := &table{name: in.TableName, sess: sess, created: now, active: now + updateDelay, id: tableID(in.TableName, now),
			attrs: in.AttributeDefinitions, keys: in.KeySchema, gsis: in.GlobalSecondaryIndexes, lsis: in.LocalSecondaryIndexes,
			stream: in.StreamSpecification, class: cmpOr(in.TableClass, "STANDARD")}
		if t.stream != nil && !t.stream.StreamEnabled {
			t.stream = nil
		}
		s.tables[in.TableName] = t
		out = s.describe(t, now)
		return nil
	})
	return map[string]any{"TableDescription": out}, err
}

// outputDir is where an API table's outputs go: tables/NAME, or
// tables/NAME~2 and on for a name used again after a deletion.
func (s *Server) outputDir(name string) string {
	dir := "tables/" + name
	for n := 2; slices.ContainsFunc(s.sessions, func(x *session) bool { return x.name == dir }); n++ {
		dir = fmt.Sprintf("tables/%s~%d", name, n)
	}
	return dir
}

func describeTable(s *Server, r *Request) (any, error) {
	var in tableNameInput
	if err := decode(r.Body, &in); err != nil {
		return nil, err
	}
	if err := checkTableName("tableName", in.TableName); err != nil {
		return nil, err
	}
	var out tableDescription
	err := s.call(func(now sim.Time) error {
		t, err := s.lookup(in.TableName)
		if err == nil {
			out = s.describe(t, now)
		}
		return err
	})
	return map[string]any{"Table": out}, err
}

func (s *Server) lookup(name string) (*table, error) {
	t, ok := s.tables[name]
	if !ok {
		return nil, tableNotFound(name)
	}
	return t, nil
}

// status is a table's TableStatus at now.
func (t *table) status(now sim.Time) string {
	switch {
	case now < t.active:
		return "CREATING"
	case t.model().Updating():
		return "UPDATING"
	}
	return "ACTIVE"
}

// describe is t's TableDescription at now.
func (s *Server) describe(t *table, now sim.Time) tableDescription {
	mt := t.model()
	d := tableDescription{
		TableName: t.name, TableArn: s.arn(t.name), TableId: t.id, TableStatus: t.status(now),
		CreationDateTime: s.epoch(t.created), AttributeDefinitions: t.attrs, KeySchema: t.keys,
		StreamSpecification: t.stream, TableClassSummary: &tableClassSummary{TableClass: t.class},
	}
	if d.AttributeDefinitions == nil {
		d.AttributeDefinitions = []attributeDefinition{}
	}
	d.ItemCount, d.TableSizeBytes = holds(mt)
	local := now - t.sess.offset
	d.ProvisionedThroughput = s.throughput(mt, t, local)
	mode := "PROVISIONED"
	if mt.Mode() == model.OnDemand {
		mode = "PAY_PER_REQUEST"
	}
	d.BillingModeSummary = &billingModeSummary{BillingMode: mode}
	if t.lastOnDemand != nil {
		e := s.epoch(*t.lastOnDemand)
		d.BillingModeSummary.LastUpdateToPayPerRequestDateTime = &e
	}
	wr, ww := mt.WarmThroughput()
	d.WarmThroughput = &warmThroughput{ReadUnitsPerSecond: wr, WriteUnitsPerSecond: ww, Status: "ACTIVE"}
	if t.stream != nil {
		label := streamLabel(s, t.streamStart())
		d.LatestStreamLabel = label
		d.LatestStreamArn = s.arn(t.name) + "/stream/" + label
	}
	for _, g := range t.gsis {
		x := indexDescription{IndexName: g.IndexName, IndexArn: s.arn(t.name) + "/index/" + g.IndexName,
			KeySchema: g.KeySchema, Projection: g.Projection, IndexStatus: "ACTIVE"}
		if now < t.active {
			x.IndexStatus = "CREATING"
		}
		if ready, ok := t.indexReady[g.IndexName]; ok && now < ready {
			backfilling := true
			x.IndexStatus, x.Backfilling = "CREATING", &backfilling
		}
		for _, it := range t.sess.service().Tables() {
			if base, name, ok := it.BaseTable(); ok && base == t.index && name == g.IndexName && !it.Dropped() {
				p := s.throughput(it, nil, local)
				x.ProvisionedThroughput = &p
				x.ItemCount, x.IndexSizeBytes = holds(it)
				if it.Updating() {
					x.IndexStatus = "UPDATING"
				}
				r, w := it.WarmThroughput()
				x.WarmThroughput = &warmThroughput{ReadUnitsPerSecond: r, WriteUnitsPerSecond: w, Status: "ACTIVE"}
			}
		}
		d.GlobalSecondaryIndexes = append(d.GlobalSecondaryIndexes, x)
	}
	for _, l := range t.lsis {
		d.LocalSecondaryIndexes = append(d.LocalSecondaryIndexes, indexDescription{IndexName: l.IndexName,
			IndexArn: s.arn(t.name) + "/index/" + l.IndexName, KeySchema: l.KeySchema, Projection: l.Projection})
	}
	return d
}

// holds is the items a table or index holds and their bytes; a table
// without items may have no store yet.
func holds(mt *model.Table) (items, bytes int64) {
	if st := mt.Store(); st != nil {
		return int64(st.Len()), st.Bytes()
	}
	return 0, 0
}

// throughput is a table's or index's ProvisionedThroughput: zeros on
// demand, as the service reports.
func (s *Server) throughput(mt *model.Table, t *table, local sim.Time) provisionedThroughputDescription {
	var p provisionedThroughputDescription
	if mt.Mode() == model.Provisioned {
		p.ReadCapacityUnits, p.WriteCapacityUnits = mt.Capacity()
	}
	p.NumberOfDecreasesToday = int64(mt.DecreasesToday(local))
	if t != nil {
		if t.lastIncrease != nil {
			e := s.epoch(*t.lastIncrease)
			p.LastIncreaseDateTime = &e
		}
		if t.lastDecrease != nil {
			e := s.epoch(*t.lastDecrease)
			p.LastDecreaseDateTime = &e
		}
	}
	return p
}

// streamLabel is a stream's label: the time it was enabled, in the
// service's ISO 8601 form.
func streamLabel(s *Server, at sim.Time) string {
	return s.start.Add(time.Duration(at)).UTC().Format("2006-01-02T15:04:05.000")
}

func updateTable(s *Server, r *Request) (any, error) {
	var in updateTableInput
	if err := decode(r.Body, &in); err != nil {
		return nil, err
	}
	if err := checkTableName("tableName", in.TableName); err != nil {
		return nil, err
	}
	if in.TableClass != "" {
		return nil, validationf("This server's UpdateTable does not change the table class")
	}
	if err := checkIndexUpdates(&in); err != nil {
		return nil, err
	}
	if err := checkStream(in.StreamSpecification); err != nil {
		return nil, err
	}
	switch in.BillingMode {
	case "", "PROVISIONED", "PAY_PER_REQUEST":
	default:
		return nil, enumError("billingMode", in.BillingMode, "[PROVISIONED, PAY_PER_REQUEST]")
	}
	if p := in.ProvisionedThroughput; p != nil {
		if err := checkThroughput(p); err != nil {
			return nil, err
		}
	}
	var out tableDescription
	err := s.call(func(now sim.Time) error {
		t, err := s.lookup(in.TableName)
		if err != nil {
			return err
		}
		if st := t.status(now); st != "ACTIVE" {
			return inUsef("Attempt to change a resource which is still in use: Table is being %s: %s",
				map[string]string{"CREATING": "created", "UPDATING": "updated"}[st], t.name)
		}
		if len(in.GlobalSecondaryIndexUpdates) > 0 {
			if err := s.updateIndex(t, &in, now); err != nil {
				return err
			}
			if in.BillingMode == "" && in.ProvisionedThroughput == nil && in.StreamSpecification == nil {
				out = s.describe(t, now)
				return nil
			}
		}
		if ss := in.StreamSpecification; ss != nil {
			if err := s.toggleStream(t, ss, now); err != nil {
				return err
			}
			if in.BillingMode == "" && in.ProvisionedThroughput == nil {
				out = s.describe(t, now)
				return nil
			}
		}
		c, err := capacityChange(t.model(), &in)
		if err != nil {
			return err
		}
		if c.SwitchTo != nil && *c.SwitchTo == model.Provisioned && len(t.gsis) > 0 {
			// Each index needs its own capacity, given in
			// GlobalSecondaryIndexUpdates, which this server does not take.
			return invalidf("ProvisionedThroughput must be specified for index: %s", t.gsis[0].IndexName)
		}
		local := now - t.sess.offset
		rcu, wcu := t.model().Capacity()
		if !t.sess.service().UpdateTable(local, t.index, c) {
			if c.SwitchTo != nil && *c.SwitchTo == model.OnDemand {
				return limitf("Subscriber limit exceeded: Update to PayPerRequest mode is limited to 4 times in 24 hours for table: %s", t.name)
			}
			return limitf("Subscriber limit exceeded: Provisioned throughput decreases are limited within a given UTC day. After the first 4 decreases, each subsequent decrease in the same UTC day can be performed at most once every 3600 seconds. Number of decreases today: %d. Table: %s",
				t.model().DecreasesToday(local), t.name)
		}
		at := now
		switch {
		case c.SwitchTo != nil && *c.SwitchTo == model.OnDemand:
			t.lastOnDemand = &at
			// The table's global secondary indexes switch with it.
			for _, x := range t.sess.service().Tables() {
				if base, _, ok := x.BaseTable(); ok && base == t.index && x.Mode() == model.Provisioned {
					t.sess.service().UpdateTable(local, x.Index(), c)
				}
			}
		case c.Read > rcu || c.Write > wcu:
			t.lastIncrease = &at
		}
		if (c.Read != 0 && c.Read < rcu) || (c.Write != 0 && c.Write < wcu) {
			t.lastDecrease = &at
		}
		out = s.describe(t, now)
		return nil
	})
	return map[string]any{"TableDescription": out}, err
}

// toggleStream enables or disables t's stream at now, as UpdateTable's
// StreamSpecification asks. A stream enabled again is a new stream, with
// a new label and ARN; a disabled one is no longer readable (the service
// keeps it readable for 24 hours: not modelled).
func (s *Server) toggleStream(t *table, ss *streamSpecification, now sim.Time) error {
	enabled := t.stream != nil && t.stream.StreamEnabled
	switch {
	case ss.StreamEnabled && enabled:
		return validationf("Table already has an enabled stream: TableName: %s", t.name)
	case !ss.StreamEnabled && !enabled:
		return validationf("Table does not have an enabled stream: TableName: %s", t.name)
	case ss.StreamEnabled:
		t.stream = &streamSpecification{StreamEnabled: true, StreamViewType: ss.StreamViewType}
		t.streamSince = now
	default:
		t.stream = nil
	}
	t.streamLog = nil
	return nil
}

// capacityChange turns an UpdateTable request into the model's change,
// refusing what the service refuses.
func capacityChange(mt *model.Table, in *updateTableInput) (model.CapacityChange, error) {
	var c model.CapacityChange
	mode := mt.Mode()
	target := mode
	switch in.BillingMode {
	case "PROVISIONED":
		target = model.Provisioned
	case "PAY_PER_REQUEST":
		target = model.OnDemand
	}
	p := in.ProvisionedThroughput
	switch {
	case target == model.OnDemand && p != nil:
		return c, invalidf("Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST")
	case target == model.OnDemand && mode == model.OnDemand:
		return c, validationf("Table is already in PAY_PER_REQUEST mode")
	case target == model.OnDemand:
		od := model.OnDemand
		c.SwitchTo = &od
		return c, nil
	case p == nil && mode == model.OnDemand:
		return c, validationf("One or more parameter values were invalid: ProvisionedThroughput must be specified when BillingMode is PROVISIONED")
	case p == nil:
		return c, validationf("At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required")
	}
	c.Read, c.Write = p.ReadCapacityUnits, p.WriteCapacityUnits
	if mode == model.OnDemand {
		pr := model.Provisioned
		c.SwitchTo = &pr
		return c, nil
	}
	if r, w := mt.Capacity(); r == c.Read && w == c.Write {
		return c, validationf("The provisioned throughput for the table will not change. The requested value equals the current value. Current ReadCapacityUnits provisioned for the table: %d. Requested ReadCapacityUnits: %d. Current WriteCapacityUnits provisioned for the table: %d. Requested WriteCapacityUnits: %d. Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.",
			r, c.Read, w, c.Write)
	}
	return c, nil
}

func deleteTable(s *Server, r *Request) (any, error) {
	var in tableNameInput
	if err := decode(r.Body, &in); err != nil {
		return nil, err
	}
	if err := checkTableName("tableName", in.TableName); err != nil {
		return nil, err
	}
	var out tableDescription
	err := s.call(func(now sim.Time) error {
		t, err := s.lookup(in.TableName)
		if err != nil {
			return err
		}
		if t.sess == s.scenario {
			return inUsef("Table %s belongs to the served scenario, whose simulation shares it with other tables; it cannot be deleted", t.name)
		}
		if st := t.status(now); st != "ACTIVE" {
			return inUsef("Attempt to change a resource which is still in use: Table is being %s: %s",
				map[string]string{"CREATING": "created", "UPDATING": "updated"}[st], t.name)
		}
		out = s.describe(t, now)
		out.TableStatus = "DELETING"
		t.sess.end(now)
		delete(s.tables, t.name)
		return nil
	})
	return map[string]any{"TableDescription": out}, err
}

func listTables(s *Server, r *Request) (any, error) {
	var in listTablesInput
	if err := decode(r.Body, &in); err != nil {
		return nil, err
	}
	limit := 100
	if in.Limit != nil {
		if *in.Limit < 1 || *in.Limit > 100 {
			return nil, validationf("1 validation error detected: Value '%d' at 'limit' failed to satisfy constraint: Member must have value %s 100",
				*in.Limit, map[bool]string{true: "greater than or equal to 1", false: "less than or equal to"}[*in.Limit < 1])
		}
		limit = *in.Limit
	}
	if in.ExclusiveStartTableName != "" {
		if err := checkTableName("exclusiveStartTableName", in.ExclusiveStartTableName); err != nil {
			return nil, err
		}
	}
	var out listTablesOutput
	err := s.call(func(sim.Time) error {
		names := make([]string, 0, len(s.tables))
		for n := range s.tables {
			if n > in.ExclusiveStartTableName {
				names = append(names, n)
			}
		}
		sort.Strings(names)
		if len(names) > limit {
			names = names[:limit]
			out.LastEvaluatedTableName = names[limit-1]
		}
		out.TableNames = names
		return nil
	})
	return out, err
}

func describeLimits(s *Server, r *Request) (any, error) {
	p := model.DefaultParams()
	return map[string]int64{
		"AccountMaxReadCapacityUnits": 80000, "AccountMaxWriteCapacityUnits": 80000,
		"TableMaxReadCapacityUnits": p.TableReadQuota, "TableMaxWriteCapacityUnits": p.TableWriteQuota,
	}, nil
}

func describeEndpoints(s *Server, r *Request) (any, error) {
	host := r.Host
	if host == "" {
		host = "localhost"
	}
	return map[string]any{"Endpoints": []map[string]any{{"Address": host, "CachePeriodInMinutes": 1440}}}, nil
}

func updateTimeToLive(s *Server, r *Request) (any, error) {
	var in updateTimeToLiveInput
	if err := decode(r.Body, &in); err != nil {
		return nil, err
	}
	if err := checkTableName("tableName", in.TableName); err != nil {
		return nil, err
	}
	spec := in.TimeToLiveSpecification
	if spec.AttributeName == "" || len(spec.AttributeName) > 255 {
		return nil, validationf("1 validation error detected: Value '%s' at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must have length between 1 and 255", spec.AttributeName)
	}
	err := s.call(func(sim.Time) error {
		t, err := s.lookup(in.TableName)
		if err != nil {
			return err
		}
		switch {
		case spec.Enabled && t.ttl != nil:
			return validationf("TimeToLive is already enabled")
		case !spec.Enabled && t.ttl == nil:
			return validationf("TimeToLive is already disabled")
		case !spec.Enabled && t.ttl.AttributeName != spec.AttributeName:
			return validationf("Cannot disable TimeToLive: the attribute name does not match the enabled attribute %s", t.ttl.AttributeName)
		case spec.Enabled:
			t.ttl = &spec
		default:
			t.ttl = nil
		}
		return nil
	})
	return map[string]any{"TimeToLiveSpecification": spec}, err
}

func describeTimeToLive(s *Server, r *Request) (any, error) {
	var in tableNameInput
	if err := decode(r.Body, &in); err != nil {
		return nil, err
	}
	if err := checkTableName("tableName", in.TableName); err != nil {
		return nil, err
	}
	out := timeToLiveDescription{TimeToLiveStatus: "DISABLED"}
	err := s.call(func(sim.Time) error {
		t, err := s.lookup(in.TableName)
		if err == nil && t.ttl != nil {
			out = timeToLiveDescription{TimeToLiveStatus: "ENABLED", AttributeName: t.ttl.AttributeName}
		}
		return err
	})
	return map[string]any{"TimeToLiveDescription": out}, err
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// enumError is the service's message for a value outside an enum.
func enumError(field, value, set string) error {
	return validationf("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must satisfy enum value set: %s",
		value, field, set)
}

var _ = strings.TrimSpace
