// Package calc is the arithmetic of capacity and cost with the working
// shown: read and write units, partitions, a bill line by line, the
// break-even utilisation of provisioned capacity, DAX sizing. Every number
// comes from the model's own functions (units.ReadUnits, QueryUnits,
// BatchGetUnits, WriteUnits, PutUnits, BatchWriteUnits, InitialPartitions,
// Itemize, DAXNormalizedLoad), the same ones the simulator charges with,
// and every price from the embedded price file (scenarios.PriceBook): the
// code here only lays out the steps. `ddbsim calc` prints them and the
// quiz checks its answers with them.
package calc
