package calc

import (
	"fmt"
	"math"

	"github.com/ddbsim/ddbsim/model/capacity"
)

// PartitionCount is `calc partitions`: the partitions a table starts
// with, by throughput and by size, and each one's share.
type PartitionCount struct {
	Partitions      int      `json:"partitions"`
	ByThroughput    int      `json:"by_throughput"`
	BySize          int      `json:"by_size"`
	RCU             int64    `json:"rcu"`
	WCU             int64    `json:"wcu"`
	SizeBytes       int64    `json:"size_bytes"`
	PerPartitionRCU float64  `json:"per_partition_rcu"`
	PerPartitionWCU float64  `json:"per_partition_wcu"`
	Steps           []string `json:"steps"`
}

// Partitions is the published rule, capacity.InitialPartitions, with its
// two halves shown.
func Partitions(rcu, wcu, size int64) *PartitionCount {
	p := &PartitionCount{RCU: rcu, WCU: wcu, SizeBytes: size,
		ByThroughput: capacity.InitialPartitions(rcu, wcu, 0),
		BySize:       capacity.InitialPartitions(0, 0, size),
		Partitions:   capacity.InitialPartitions(rcu, wcu, size),
	}
	exact := float64(rcu)/float64(capacity.PartitionReadCeiling) + float64(wcu)/float64(capacity.PartitionWriteCeiling)
	p.Steps = append(p.Steps, fmt.Sprintf("by throughput: ceil(%s/%s + %s/%s) = ceil(%s) = %d%s",
		Num(float64(rcu)), Num(float64(capacity.PartitionReadCeiling)),
		Num(float64(wcu)), Num(float64(capacity.PartitionWriteCeiling)),
		Num(exact), int(math.Ceil(exact)), atLeastOne(p.ByThroughput, exact)))
	if size > 0 {
		gb := float64(size) / float64(capacity.PartitionSizeLimit)
		p.Steps = append(p.Steps, fmt.Sprintf("by size: ceil(%s / %s) = ceil(%s) = %d",
			Size(int(size)), Size(int(capacity.PartitionSizeLimit)), Num(gb), p.BySize))
		p.Steps = append(p.Steps, fmt.Sprintf("partitions = max(%d, %d) = %d", p.ByThroughput, p.BySize, p.Partitions))
	} else {
		p.Steps = append(p.Steps, fmt.Sprintf("partitions = %d", p.Partitions))
	}
	n := float64(p.Partitions)
	p.PerPartitionRCU, p.PerPartitionWCU = float64(rcu)/n, float64(wcu)/n
	p.Steps = append(p.Steps, fmt.Sprintf("each partition gets an even share: %s / %d = %s RCU and %s / %d = %s WCU; one partition key never gets more than %s RCU or %s WCU a second",
		Num(float64(rcu)), p.Partitions, Num(p.PerPartitionRCU),
		Num(float64(wcu)), p.Partitions, Num(p.PerPartitionWCU),
		Num(float64(capacity.PartitionReadCeiling)), Num(float64(capacity.PartitionWriteCeiling))))
	return p
}

func atLeastOne(n int, exact float64) string {
	if int(math.Ceil(exact)) < n {
		return fmt.Sprintf(", at least %d", n)
	}
	return ""
}
