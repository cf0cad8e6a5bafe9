package main

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// jobSpec is what the test reads of a Kubernetes Job manifest.
type jobSpec struct {
	Kind string
	Spec struct {
		Completions    int
		CompletionMode string `yaml:"completionMode"`
		Template       struct {
			Spec struct {
				Containers []struct{ Args []string }
			}
		}
	}
}

// readJob reads the Job of a manifest of several documents.
func readJob(t *testing.T, path string) jobSpec {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var j jobSpec
		err := dec.Decode(&j)
		if errors.Is(err, io.EOF) {
			t.Fatalf("%s: no Job", path)
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if j.Kind == "Job" {
			if len(j.Spec.Template.Spec.Containers) != 1 {
				t.Fatalf("%s: %d containers, want 1", path, len(j.Spec.Template.Spec.Containers))
			}
			return j
		}
	}
}

// The Kubernetes manifests' command lines work as they stand: every pod
// of the Indexed Job runs the sweep's one command line with its
// JOB_COMPLETION_INDEX, and the merge job's command then writes what the
// sweep run in one process writes. Paths in the pods' volumes are mapped
// to a temporary directory.
func TestKubernetesJobsRunTheSweep(t *testing.T) {
	sweepJob := readJob(t, "../../deploy/kubernetes/sweep-job.yaml")
	mergeJob := readJob(t, "../../deploy/kubernetes/merge-job.yaml")
	if sweepJob.Spec.CompletionMode != "Indexed" || sweepJob.Spec.Completions < 2 {
		t.Fatalf("the sweep job is %q with %d completions, want an Indexed Job of several", sweepJob.Spec.CompletionMode, sweepJob.Spec.Completions)
	}
	dir := t.TempDir()
	local := func(args []string) []string {
		out := make([]string, len(args))
		for i, a := range args {
			out[i] = a
			if strings.HasPrefix(a, "/spec/") || strings.HasPrefix(a, "/out/") {
				out[i] = filepath.Join(dir, a)
			}
		}
		return out
	}
	spec := "version: 1\nscenario: web-backend\nduration: 1m\nseeds: 3\nvary:\n  tables.sessions.write_capacity: [100, 200]\n"
	args := local(sweepJob.Spec.Template.Spec.Containers[0].Args)
	if len(args) < 2 || args[0] != "sweep" {
		t.Fatalf("the sweep job runs %v", args)
	}
	os.MkdirAll(filepath.Dir(args[1]), 0o755)
	os.WriteFile(args[1], []byte(spec), 0o644)
	for i := range sweepJob.Spec.Completions {
		t.Setenv("JOB_COMPLETION_INDEX", strconv.Itoa(i))
		if code, _, stderr := runCLI(append(args, "--quiet")...); code != exitOK {
			t.Fatalf("pod %d: ddbsim %v: exit %d\n%s", i, args, code, stderr)
		}
	}
	merge := local(mergeJob.Spec.Template.Spec.Containers[0].Args)
	if code, _, stderr := runCLI(append(merge, "--quiet")...); code != exitOK {
		t.Fatalf("ddbsim %v: exit %d\n%s", merge, code, stderr)
	}
	whole := filepath.Join(dir, "whole")
	if code, _, stderr := runCLI("sweep", args[1], "--out", whole, "--quiet"); code != exitOK {
		t.Fatalf("unsharded: exit %d\n%s", code, stderr)
	}
	sameTree(t, whole, merge[len(merge)-1])
}
