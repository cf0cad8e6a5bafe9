package scenarios

import (
	"strings"
	"testing"
)

// The price data holds REFERENCE.md#prices for us-east-1; a scenario's
// prices override them, and a region without data needs all five.
func TestPriceBook(t *testing.T) {
	b, err := PriceBook("us-east-1", "standard", Prices{}, "")
	if err != nil {
		t.Fatal(err)
	}
	if b.RCUHour != 0.00013 || b.WCUHour != 0.00065 || b.ReadRequestUnit != 0.125e-6 ||
		b.WriteRequestUnit != 0.625e-6 || b.StorageGBMonth != 0.25 {
		t.Errorf("us-east-1 standard: %+v", b)
	}
	ia, _ := PriceBook("us-east-1", "standard-ia", Prices{}, "")
	if ia.StorageGBMonth != 0.10 || ia.WCUHour != 0.00081 {
		t.Errorf("us-east-1 standard-ia: %+v", ia)
	}
	if r, _ := PriceBook("us-east-1", "standard", Prices{}, "1y"); !nearly(r.ReservedRCUHour, 0.00013*0.46) || !nearly(r.ReservedWCUHour, 0.00065*0.46) {
		t.Errorf("1-year reserved: %+v", r)
	}
	if r, _ := PriceBook("us-east-1", "standard", Prices{}, "3y"); !nearly(r.ReservedWCUHour, 0.00065*0.23) {
		t.Errorf("3-year reserved: %+v", r)
	}
	x := 0.0002
	if b, _ := PriceBook("us-east-1", "standard", Prices{RCUHour: &x}, ""); b.RCUHour != x || b.WCUHour != 0.00065 {
		t.Errorf("override: %+v", b)
	}
	if _, err := PriceBook("eu-west-1", "standard", Prices{RCUHour: &x}, ""); err == nil || !strings.Contains(err.Error(), "no prices for region eu-west-1") {
		t.Errorf("eu-west-1 with one price: %v", err)
	}
	all := Prices{ReadRequestUnit: &x, WriteRequestUnit: &x, RCUHour: &x, WCUHour: &x, StorageGBMonth: &x}
	if _, err := PriceBook("eu-west-1", "standard", all, ""); err != nil {
		t.Errorf("eu-west-1 with all five: %v", err)
	}
}

func TestParsePrices(t *testing.T) {
	src := "version: 1\nname: p\nduration: 1m\nprices: {rcu_hour: 0.0002, free_tier: true}\n" +
		"tables:\n  - {name: t, partition_key: id, mode: on-demand, items: {count: 10}}\nworkloads:\n  - {name: w, table: t, rate: 1/s}\n"
	sc, err := Parse("p.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if sc.Prices.RCUHour == nil || *sc.Prices.RCUHour != 0.0002 || !sc.Prices.FreeTier {
		t.Errorf("prices %+v", sc.Prices)
	}
	bad := strings.Replace(src, "0.0002", "cheap", 1)
	if _, err := Parse("p.yaml", []byte(bad)); err == nil || !strings.Contains(err.Error(), "p.yaml:4:20: prices.rcu_hour: expected a price in US dollars") {
		t.Errorf("bad price: %v", err)
	}
}

func nearly(a, b float64) bool { return a-b < 1e-12 && b-a < 1e-12 }

// prices.month picks the month convention: 730 hours by default, 30 days
// as the AWS pricing examples count; the book carries it.
func TestPricesMonth(t *testing.T) {
	for _, tc := range []struct {
		month string
		hours float64
		err   string
	}{
		{"", 730, ""},
		{"month: 730h", 730, ""},
		{"month: 30d", 720, ""},
		{"month: 31d", 0, "prices.month: expected 730h"},
	} {
		doc := "version: 1\nname: m\nduration: 1m\ntables:\n  - {name: t, partition_key: id, mode: on-demand, items: {count: 1k, size: 1KB}, dax: {nodes: 3, node_type: dax.r5.24xlarge}}\nworkloads:\n  - {name: w, table: t, rate: 1/s}\n"
		if tc.month != "" {
			doc += "prices: {" + tc.month + "}\n"
		}
		s, err := Parse("m.yaml", []byte(doc))
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s: %v, want %q", tc.month, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", tc.month, err)
		}
		book, err := PriceBook("us-east-1", "standard", s.Prices, "")
		if err != nil || book.Month() != tc.hours {
			t.Errorf("%q: a month of %v h (%v), want %v", tc.month, book.Month(), err, tc.hours)
		}
	}
}
