package scenarios

import (
	"bytes"
	_ "embed"
	"fmt"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/ddbsim/ddbsim/model/billing"
)

// The price data file: prices by region and table class, each with where
// and when it was seen (REFERENCE: prices).
//
//go:embed prices/prices.yaml
var priceData []byte

type priceEntry struct {
	USD    float64 `yaml:"usd"`
	Seen   string  `yaml:"seen"`
	Source string  `yaml:"source"`
}

type classPrices struct {
	WriteRequestUnit priceEntry `yaml:"write_request_unit"`
	ReadRequestUnit  priceEntry `yaml:"read_request_unit"`
	WCUHour          priceEntry `yaml:"wcu_hour"`
	RCUHour          priceEntry `yaml:"rcu_hour"`
	StorageGBMonth   priceEntry `yaml:"storage_gb_month"`
	Reserved1y       priceEntry `yaml:"reserved_1y_discount"`
	Reserved3y       priceEntry `yaml:"reserved_3y_discount"`
	// A global table replica's writes (REFERENCE: global, prices) and a
	// stream's GetRecords calls (REFERENCE: streams).
	ReplicatedWriteRequestUnit priceEntry `yaml:"replicated_write_request_unit"`
	ReplicatedWCUHour          priceEntry `yaml:"replicated_wcu_hour"`
	StreamReadRequestUnit      priceEntry `yaml:"stream_read_request_unit"`
}

// regionPrices are one region's prices: by table class, and DAX
// node-hours by node type ("dax.r5.large"), which do not depend on a
// table's class.
type regionPrices struct {
	DAXNodeHour map[string]priceEntry  `yaml:"dax_node_hour"`
	Classes     map[string]classPrices `yaml:",inline"`
}

// PriceBook returns the prices for a table of class in region, with the
// scenario's overrides applied. term ("1y", "3y" or "") prices reserved
// capacity: the hourly rates less the term's discount.
func PriceBook(region, class string, over Prices, term string) (billing.PriceBook, error) {
	data, err := loadPrices(over)
	if err != nil {
		return billing.PriceBook{}, err
	}
	cp, ok := data[region].Classes[class]
	book := billing.PriceBook{
		ReadRequestUnit: cp.ReadRequestUnit.USD, WriteRequestUnit: cp.WriteRequestUnit.USD,
		RCUHour: cp.RCUHour.USD, WCUHour: cp.WCUHour.USD, StorageGBMonth: cp.StorageGBMonth.USD,
		ReplicatedWriteRequestUnit: cp.ReplicatedWriteRequestUnit.USD, ReplicatedWCUHour: cp.ReplicatedWCUHour.USD,
		StreamReadRequestUnit: cp.StreamReadRequestUnit.USD,
	}
	book.MonthHours, _ = billing.MonthConvention(over.Month)
	set := func(dst *float64, src *float64) int {
		if src != nil {
			*dst = *src
			return 1
		}
		return 0
	}
	n := set(&book.ReadRequestUnit, over.ReadRequestUnit) + set(&book.WriteRequestUnit, over.WriteRequestUnit) +
		set(&book.RCUHour, over.RCUHour) + set(&book.WCUHour, over.WCUHour) + set(&book.StorageGBMonth, over.StorageGBMonth)
	// Optional: a region without them needs only the five above.
	set(&book.ReplicatedWriteRequestUnit, over.ReplicatedWriteRequestUnit)
	set(&book.ReplicatedWCUHour, over.ReplicatedWCUHour)
	set(&book.StreamReadRequestUnit, over.StreamReadRequestUnit)
	switch term {
	case "1y":
		book.ReservedRCUHour, book.ReservedWCUHour = book.RCUHour*(1-cp.Reserved1y.USD), book.WCUHour*(1-cp.Reserved1y.USD)
	case "3y":
		book.ReservedRCUHour, book.ReservedWCUHour = book.RCUHour*(1-cp.Reserved3y.USD), book.WCUHour*(1-cp.Reserved3y.USD)
	}
	if !ok && n < 5 {
		return book, fmt.Errorf("no prices for region %s (the price data has %s); give all five under prices",
			region, strings.Join(regionsOf(data), ", "))
	}
	return book, nil
}

// DAXNodeHour returns the hourly price of one DAX node of nodeType (a
// cache.NodeTypes name) in region (REFERENCE: dax, node-hour prices),
// the scenario's override first.
func DAXNodeHour(region, nodeType string, over Prices) (float64, error) {
	if x, ok := over.DAXNodeHour[nodeType]; ok {
		return x, nil
	}
	data, err := loadPrices(over)
	if err != nil {
		return 0, err
	}
	rp, ok := data[region]
	if !ok {
		return 0, fmt.Errorf("no prices for region %s (the price data has %s); give the node's under prices: {dax_node_hour: {%s: USD}}",
			region, strings.Join(regionsOf(data), ", "), nodeType)
	}
	e, ok := rp.DAXNodeHour[nodeType]
	if !ok {
		return 0, fmt.Errorf("no DAX node-hour price for %s in %s; give it under prices: {dax_node_hour: {%s: USD}}", nodeType, region, nodeType)
	}
	return e.USD, nil
}

// loadPrices reads the price data: the built-in file, or the one that
// replaces it.
func loadPrices(over Prices) (map[string]regionPrices, error) {
	var data map[string]regionPrices
	src, name := priceData, "the built-in price data"
	if over.Data != nil {
		src, name = over.Data, over.DataFile
	}
	dec := yaml.NewDecoder(bytes.NewReader(src))
	dec.KnownFields(true)
	if err := dec.Decode(&data); err != nil {
		return nil, fmt.Errorf("%s: %w (expected region: {class: {write_request_unit: {usd: ...}, ...}, dax_node_hour: {node type: {usd: ...}}})", name, err)
	}
	return data, nil
}

// regionsOf lists the regions of the price data, sorted.
func regionsOf(data map[string]regionPrices) []string {
	return slices.Sorted(func(yield func(string) bool) {
		for r := range data {
			if !yield(r) {
				return
			}
		}
	})
}
