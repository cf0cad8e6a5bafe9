//go:build boto3

package server

import (
	"context"
	"net"
	"os"
	"os/exec"
	"testing"
	"time"
)

// A second SDK, boto3 (Python), runs its smoke suite
// (testdata/boto3_smoke.py) against a served session on loopback, with
// real time at scale 60 so that tables leave CREATING quickly. It needs
// Debian's python3-boto3, which .ci/run installs: go test -tags boto3
// -run TestBoto3 ./server.
func TestBoto3Smoke(t *testing.T) {
	python := "/usr/bin/python3"
	if _, err := os.Stat(python); err != nil {
		t.Skip("no /usr/bin/python3")
	}
	if err := exec.Command(python, "-c", "import boto3").Run(); err != nil {
		t.Skip("boto3 is not installed for /usr/bin/python3 (apt-get install python3-boto3)")
	}
	s, err := New(Config{Seed: 1, TimeScale: 60, NoLatency: true})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := s.HTTPServer(ln.Addr().String())
	go hs.Serve(ln)
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		hs.Shutdown(ctx)
		s.Close()
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, python, "testdata/boto3_smoke.py", "http://"+ln.Addr().String())
	out, err := cmd.CombinedOutput()
	t.Logf("%s", out)
	if err != nil {
		t.Fatalf("the boto3 smoke suite failed: %v", err)
	}
}
