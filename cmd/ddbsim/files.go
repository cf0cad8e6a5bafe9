package main

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
)

// writeFileAtomic writes data to path through a temporary file in the same
// directory and a rename, so a reader never sees a half-written file and a
// failed run leaves the previous file in place.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := createTemporary(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer func() {
		os.Remove(tmp.Name()) // after a successful rename this is a no-op
		dropTemporary(tmp.Name())
	}()
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := errors.Join(tmp.Chmod(0o644), tmp.Close()); err != nil { // CreateTemp makes files private
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// writeFilesAtomic writes every file into dir, creating it if needed. All
// files are written to temporary names first and renamed only when every
// one was written, so an error leaves none of them half-done.
func writeFilesAtomic(dir string, files map[string][]byte) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	var tmps []string
	defer func() {
		for _, t := range tmps {
			os.Remove(t)
			dropTemporary(t)
		}
	}()
	names := slices.Sorted(maps.Keys(files))
	for _, name := range names {
		tmp, err := createTemporary(dir, "."+name+".tmp*")
		if err != nil {
			return fmt.Errorf("write %s: %w", filepath.Join(dir, name), err)
		}
		tmps = append(tmps, tmp.Name())
		_, werr := tmp.Write(files[name])
		cerr := errors.Join(tmp.Chmod(0o644), tmp.Close()) // CreateTemp makes files private
		if werr != nil || cerr != nil {
			return fmt.Errorf("write %s: %w", filepath.Join(dir, name), errors.Join(werr, cerr))
		}
	}
	for i, name := range names {
		if err := os.Rename(tmps[i], filepath.Join(dir, name)); err != nil {
			return fmt.Errorf("write %s: %w", filepath.Join(dir, name), err)
		}
	}
	return nil
}

// checkWritable makes sure, before a run, that its outputs can be written:
// the --out directory (created if missing, as the run would) and the
// directory of a --json file ("" and "-" for either mean none). It creates
// and removes a temporary file in each, which is what writing will do.
func checkWritable(outDir, jsonFile string) error {
	type target struct{ flag, path, dir string }
	var targets []target
	if outDir != "" {
		if err := os.MkdirAll(outDir, 0o755); err != nil {
			return fmt.Errorf("--out %s: cannot create the directory: %w", outDir, errors.Unwrap(err))
		}
		targets = append(targets, target{"--out", outDir, outDir})
	}
	if jsonFile != "" && jsonFile != "-" {
		if fi, err := os.Stat(jsonFile); err == nil && fi.IsDir() {
			return fmt.Errorf("--json %s: is a directory, not a file", jsonFile)
		}
		targets = append(targets, target{"--json", jsonFile, filepath.Dir(jsonFile)})
	}
	for _, t := range targets {
		f, err := createTemporary(t.dir, ".ddbsim-check.tmp*")
		if err != nil {
			return fmt.Errorf("%s %s: cannot write into %s: %w", t.flag, t.path, t.dir, errors.Unwrap(err))
		}
		f.Close()
		os.Remove(f.Name())
		dropTemporary(f.Name())
	}
	return nil
}
