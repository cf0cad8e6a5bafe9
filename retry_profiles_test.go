package ddbsim

import (
	"testing"

	"github.com/ddbsim/ddbsim/scenarios"
	"github.com/ddbsim/ddbsim/workload"
)

// Every name client.retry accepts maps to the policy its SDK's source
// gives (workload/retry.go cites each); the format's own names keep
// their meaning.
func TestRetryProfilesByName(t *testing.T) {
	for name, want := range map[string]workload.RetryPolicy{
		"sdk-v2":         workload.SDKv2(),
		"go-v2":          workload.SDKv2(),
		"legacy":         workload.Legacy(),
		"go-v1":          workload.Legacy(),
		"js-v3":          workload.JSv3(),
		"boto3-standard": workload.Boto3Standard(),
		"go-v2-adaptive": workload.GoV2Adaptive(),
		"java-v2":        workload.JavaV2(),
		"boto3-legacy":   workload.Boto3Legacy(),
		"none":           workload.NoRetry(),
	} {
		got, err := retryPolicy(scenarios.Retry{Policy: name})
		if err != nil || got != want {
			t.Errorf("%s: %+v, %v; want %+v", name, got, err, want)
		}
	}
}
