package scenarios

// A table's stream and its time to live (REFERENCE: streams, ttl):
//
//	tables:
//	  - name: orders
//	    stream:
//	      view: new_and_old_images      # keys_only | new_image | old_image | new_and_old_images (default)
//	      consumers:                    # at most 2: a shard serves at most 2 readers
//	        - name: indexer             # required, unique in the stream
//	          kind: lambda              # lambda (default) | client
//	          batch_size: 100           # lambda 1-10,000 (default 100); client 1-1,000 (default 1,000)
//	          parallelization: 1        # lambda 1-10 (default 1); a client reads a shard one batch at a time
//	          processing_time: 200ms    # required: the time one batch takes
//	          failure_ratio: 1%         # share of batches that fail and are retried whole (default 0)
//	    ttl: {attribute: expires_at, expire_after: 1h}   # both required
//	service:
//	  ttl_delete_within: 48h            # how late expired items are deleted (model.Params.TTLDeleteWithin)
//
// A global table's replicas have the table's stream; its items expire
// in its home region, and the deletions replicate.

import (
	"gopkg.in/yaml.v3"
)

// streamViews are the values of stream.view, in stream.View order.
var streamViews = []string{"keys_only", "new_image", "old_image", "new_and_old_images"}

// The limits of stream consumers (REFERENCE: streams: "at most 2 readers
// per shard", "up to 1,000 records ... per GetRecords"; Lambda's event
// source mapping takes batches of 1 to 10,000 records and a
// parallelization factor of 1 to 10).
const (
	maxStreamReaders      = 2
	maxLambdaBatch        = 10_000
	defaultLambdaBatch    = 100
	maxGetRecords         = 1_000
	maxParallelization    = 10
	defaultConsumerKind   = "lambda"
	defaultStreamViewName = "new_and_old_images"
)

var (
	streamKeys   = []string{"view", "consumers"}
	consumerKeys = []string{"name", "kind", "batch_size", "parallelization", "processing_time", "failure_ratio"}
)

// stream reads a table's stream: {view, consumers}.
func (p *parser) stream(n *yaml.Node, table string) *Stream {
	f, ok := p.fields(n, "stream", streamKeys...)
	if !ok {
		return nil
	}
	s := &Stream{Pos: pos(n), View: defaultStreamViewName}
	if v := f.get("view"); v != nil {
		s.View = p.oneOf(v, "stream.view", streamViews...)
	}
	v := f.get("consumers")
	if v == nil {
		return s
	}
	first := map[string]*yaml.Node{}
	for i, it := range p.list(v, "stream.consumers", "") {
		if i == maxStreamReaders {
			p.errorf(it, "the stream of table %s has more than %d consumers; a stream shard serves at most %d readers at once (REFERENCE: streams), so a third would be throttled",
				table, maxStreamReaders, maxStreamReaders)
		}
		c, nameNode := p.consumer(it)
		if c.Name != "" {
			if prev := first[c.Name]; prev != nil {
				p.errorf(nameNode, "duplicate consumer name %q in the stream of table %s (first at line %d)", c.Name, table, prev.Line)
				continue
			}
			first[c.Name] = nameNode
		}
		s.Consumers = append(s.Consumers, c)
	}
	return s
}

// consumer reads one consumer of a stream.
func (p *parser) consumer(n *yaml.Node) (c Consumer, nameNode *yaml.Node) {
	c = Consumer{Pos: pos(n), Kind: defaultConsumerKind, Parallelization: 1}
	f, ok := p.fields(n, "consumer", consumerKeys...)
	if !ok {
		return c, n
	}
	if nameNode = p.require(f, "name", "unique in the stream, such as indexer"); nameNode != nil {
		c.Name = p.str(nameNode, "consumer name")
	}
	if v := f.get("kind"); v != nil {
		c.Kind = p.oneOf(v, "consumer.kind", "lambda", "client")
	}
	lambda := c.Kind != "client"
	c.BatchSize = defaultLambdaBatch
	if !lambda {
		c.BatchSize = maxGetRecords
	}
	if v := f.get("batch_size"); v != nil {
		if b, ok := p.count(v, "consumer.batch_size"); ok {
			c.BatchSize = b
			switch {
			case lambda && (b < 1 || b > maxLambdaBatch):
				p.errorf(v, "consumer.batch_size of a Lambda trigger must be between 1 and %d records, got %s", maxLambdaBatch, v.Value)
			case !lambda && (b < 1 || b > maxGetRecords):
				p.errorf(v, "consumer.batch_size of a client must be between 1 and %d records (one GetRecords call returns at most %d), got %s",
					maxGetRecords, maxGetRecords, v.Value)
			}
		}
	}
	if v := f.get("parallelization"); v != nil {
		if x, ok := p.count(v, "consumer.parallelization"); ok {
			switch {
			case !lambda && x != 1:
				p.errorf(v, "consumer.parallelization applies only to kind: lambda; a client reads each shard one batch at a time")
			case x < 1 || x > maxParallelization:
				p.errorf(v, "consumer.parallelization must be between 1 and %d (Lambda's parallelization factor), got %s", maxParallelization, v.Value)
			default:
				c.Parallelization = x
			}
		}
	}
	if v := p.require(f, "processing_time", "how long one batch takes, such as 200ms"); v != nil {
		c.ProcessingTime = p.duration(v, "consumer.processing_time")
	}
	if v := f.get("failure_ratio"); v != nil {
		if x, ok := p.percent(v, "consumer.failure_ratio"); ok {
			c.FailureRatio = x
			if x < 0 || x >= 1 {
				p.errorf(v, "consumer.failure_ratio must be at least 0%% and below 100%% (a batch that always fails is never done), got %s", v.Value)
			}
		}
	}
	return c, nameNode
}

// ttl reads a table's time to live: {attribute, expire_after}. The
// attribute holds an expiry time, so it cannot be one of t's keys.
func (p *parser) ttl(n *yaml.Node, t *Table) *TTL {
	f, ok := p.fields(n, "ttl", "attribute", "expire_after")
	if !ok {
		return nil
	}
	x := &TTL{Pos: pos(n)}
	if v := p.require(f, "attribute", "the attribute holding the expiry time, such as expires_at"); v != nil {
		x.Attribute = p.str(v, "ttl.attribute")
		if a := x.Attribute; a != "" && (a == t.PartitionKey || a == t.SortKey) {
			p.errorf(v, "ttl.attribute %s is a key attribute of table %s; the expiry time goes in an attribute of its own", a, t.Name)
		}
	}
	if v := p.require(f, "expire_after", "how long after its last write an item expires, such as 1h"); v != nil {
		x.ExpireAfter = p.duration(v, "ttl.expire_after")
	}
	return x
}
