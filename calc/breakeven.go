package calc

import (
	"fmt"

	"github.com/ddbsim/ddbsim/scenarios"
)

// BreakEven is the average utilisation above which provisioned capacity
// costs less than on-demand requests, as fractions.
type BreakEven struct {
	Reads  float64 `json:"reads"`
	Writes float64 `json:"writes"`
}

// BreakEvenUtilization prices one unit of provisioned capacity for an hour
// against the 3,600 request units it could serve in that hour on demand
// (billing.BreakEven). The first table's class and the scenario's prices (with
// its overrides) decide it; reserved capacity is not counted.
func BreakEvenUtilization(sc *scenarios.Scenario) (*BreakEven, error) {
	class := "standard"
	if len(sc.Tables) > 0 && sc.Tables[0].TableClass != "" {
		class = sc.Tables[0].TableClass
	}
	b, err := scenarios.PriceBook(sc.Region, class, sc.Prices, "")
	if err != nil {
		return nil, err
	}
	if b.ReadRequestUnit <= 0 || b.WriteRequestUnit <= 0 {
		return nil, fmt.Errorf("on-demand prices of zero have no break-even")
	}
	reads, writes := b.BreakEven()
	return &BreakEven{Reads: reads, Writes: writes}, nil
}
