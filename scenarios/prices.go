package scenarios

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/ddbsim/ddbsim/model"
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
}

// Prices overrides the price data for a scenario; nil fields keep it.
type Prices struct {
	ReadRequestUnit, WriteRequestUnit *float64
	RCUHour, WCUHour                  *float64
	StorageGBMonth                    *float64
	// FreeTier says whether the always-free tier comes off the bill; true
	// unless the scenario says otherwise (an account whose free tier goes
	// to other tables).
	FreeTier bool
}

// PriceBook returns the prices for a table of class in region, with the
// scenario's overrides applied.
func PriceBook(region, class string, over Prices) (model.PriceBook, error) {
	var data map[string]map[string]classPrices
	if err := yaml.Unmarshal(priceData, &data); err != nil {
		return model.PriceBook{}, fmt.Errorf("scenarios: price data: %w", err)
	}
	cp, ok := data[region][class]
	book := model.PriceBook{
		ReadRequestUnit: cp.ReadRequestUnit.USD, WriteRequestUnit: cp.WriteRequestUnit.USD,
		RCUHour: cp.RCUHour.USD, WCUHour: cp.WCUHour.USD, StorageGBMonth: cp.StorageGBMonth.USD,
	}
	set := func(dst *float64, src *float64) int {
		if src != nil {
			*dst = *src
			return 1
		}
		return 0
	}
	n := set(&book.ReadRequestUnit, over.ReadRequestUnit) + set(&book.WriteRequestUnit, over.WriteRequestUnit) +
		set(&book.RCUHour, over.RCUHour) + set(&book.WCUHour, over.WCUHour) + set(&book.StorageGBMonth, over.StorageGBMonth)
	if !ok && n < 5 {
		regions := slices.Sorted(func(yield func(string) bool) {
			for r := range data {
				if !yield(r) {
					return
				}
			}
		})
		return book, fmt.Errorf("no prices for region %s (the price data has %s); give all five under prices",
			region, strings.Join(regions, ", "))
	}
	return book, nil
}
