package cloudwatch

import (
	"fmt"
	"slices"
)

// HotKeys is a Contributor Insights report on a table's most accessed (or
// most throttled) keys: the top contributors over the report's window and
// each one's share of the rule's whole.
type HotKeys struct {
	// KeyLabels name the parts of each key, as the rule defines them
	// (the partition key, then the sort key for a PKC rule).
	KeyLabels []string
	// Statistic is how the rule aggregates (its AggregateOn): "Count" of
	// requests or "Sum" of a field such as consumed units.
	Statistic string
	// Total is the rule's AggregateValue: every contributor's value
	// together, the top ones and the rest.
	Total float64
	// Unique is ApproximateUniqueCount: how many distinct keys there were.
	Unique int64
	// Keys are the contributors, largest first.
	Keys []HotKey
}

// HotKey is one contributor.
type HotKey struct {
	Keys  []string // the key's parts, in KeyLabels order
	Value float64  // ApproximateAggregateValue
	Share float64  // Value / Total, in [0, 1]
}

// TopShare is the share of the whole the listed contributors hold
// together; the rest of the traffic is spread over the other keys.
func (h *HotKeys) TopShare() float64 {
	s := 0.0
	for _, k := range h.Keys {
		s += k.Share
	}
	return s
}

// ReadInsights reads get-insight-rule-report output.
func ReadInsights(name string, data []byte) (*HotKeys, error) {
	v, err := decode(name, data, "get-insight-rule-report output")
	if err != nil {
		return nil, err
	}
	root := node{file: name, path: "$", v: v}
	if detect(v) != InsightRuleReport {
		return nil, root.fail("get-insight-rule-report output: an object with Contributors")
	}
	h := &HotKeys{}
	labels, err := root.field("KeyLabels").array("an array of key labels", true)
	if err != nil {
		return nil, err
	}
	for _, l := range labels {
		s, err := l.str("a key label, a string")
		if err != nil {
			return nil, err
		}
		h.KeyLabels = append(h.KeyLabels, s)
	}
	if st := root.field("AggregationStatistic"); !st.absent() {
		if h.Statistic, err = st.str(`"Count" or "Sum"`); err != nil {
			return nil, err
		}
	}
	if u := root.field("ApproximateUniqueCount"); !u.absent() {
		f, err := u.number("a count, a whole number")
		if err != nil {
			return nil, err
		}
		if f < 0 || f != float64(int64(f)) {
			return nil, u.fail("a count, a whole number")
		}
		h.Unique = int64(f)
	}
	contributors, err := root.field("Contributors").array("an array of contributors", false)
	if err != nil {
		return nil, err
	}
	sum := 0.0
	for _, c := range contributors {
		if err := c.object("a contributor with Keys and ApproximateAggregateValue"); err != nil {
			return nil, err
		}
		keys, err := c.field("Keys").array("an array of key values", false)
		if err != nil {
			return nil, err
		}
		if h.KeyLabels != nil && len(keys) != len(h.KeyLabels) {
			return nil, c.field("Keys").fail(fmt.Sprintf("%d key values, one per KeyLabel", len(h.KeyLabels)))
		}
		hk := HotKey{Keys: make([]string, len(keys))}
		for i, k := range keys {
			if hk.Keys[i], err = k.str("a key value, a string"); err != nil {
				return nil, err
			}
		}
		vn := c.field("ApproximateAggregateValue")
		if hk.Value, err = vn.number("a number, at least 0"); err != nil {
			return nil, err
		}
		if hk.Value < 0 {
			return nil, vn.fail("a number, at least 0")
		}
		sum += hk.Value
		h.Keys = append(h.Keys, hk)
	}
	tn := root.field("AggregateValue")
	if tn.absent() {
		// A report without its total: the listed keys are taken as all
		// of it, which overstates each one's share.
		h.Total = sum
	} else {
		if h.Total, err = tn.number("a number, at least the contributors' sum"); err != nil {
			return nil, err
		}
		// Contributor values are approximate: allow them a little over.
		if h.Total < 0 || h.Total < sum*(1-1e-6) {
			return nil, tn.fail(fmt.Sprintf("a number, at least the contributors' sum %v", sum))
		}
	}
	for i := range h.Keys {
		if h.Total > 0 {
			h.Keys[i].Share = min(h.Keys[i].Value/h.Total, 1)
		}
	}
	slices.SortStableFunc(h.Keys, func(a, b HotKey) int {
		switch {
		case a.Value > b.Value:
			return -1
		case a.Value < b.Value:
			return 1
		}
		return 0
	})
	return h, nil
}
