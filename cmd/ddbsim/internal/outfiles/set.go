package outfiles

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
)

// Manifest is the file in an --out directory that lists the files
// ddbsim wrote there, one a line, so that a later run replaces those and
// keeps everything else.
const Manifest = ".ddbsim-files"

// WriteSet replaces the set of files ddbsim wrote in dir with
// files (and the manifest listing them), keeping whatever else dir holds:
// the whole set is written into a temporary directory beside dir, the
// entries ddbsim did not write are moved into it, and it is swapped in by
// two renames (the old directory away, the new one in); the old one is
// then removed. A reader sees the old set or the new, never a mix, and an
// error leaves the old set as it was. The caller holds dir's lock
// (Check).
func WriteSet(dir string, files map[string][]byte) error {
	st, err := Stage(dir)
	if err != nil {
		return err
	}
	defer st.Discard()
	for _, name := range slices.Sorted(maps.Keys(files)) {
		if err := st.Write(name, files[name]); err != nil {
			return err
		}
	}
	return st.Commit()
}

// Staged is a set of files for dir written one at a time, for a set too
// large to hold in memory at once (a sweep's results), then swapped in
// whole by Commit as WriteSet swaps its set; Discard drops it. Write may
// be called from several goroutines.
type Staged struct {
	dir, abs, staging string
	mu                sync.Mutex
	names             []string
}

// Stage starts a set of files for dir: a temporary directory beside it,
// registered, so that an interrupt removes it.
func Stage(dir string) (*Staged, error) {
	abs, err := resolveOutDir(dir)
	if err != nil {
		return nil, fmt.Errorf("--out %s: %w", dir, err)
	}
	parent, base := filepath.Split(abs)
	staging, err := makeTemporaryDir(parent, besideName(base, ".new*"))
	if err != nil {
		return nil, fmt.Errorf("write %s: %w", dir, pathless(err))
	}
	if err := os.Chmod(staging, 0o755); err != nil { // MkdirTemp makes directories private
		os.RemoveAll(staging)
		dropTemporary(staging)
		return nil, fmt.Errorf("write %s: %w", dir, pathless(err))
	}
	return &Staged{dir: dir, abs: abs, staging: staging}, nil
}

// Write adds the file name (a plain name: no directory) to the set.
func (s *Staged) Write(name string, data []byte) error {
	if name == "" || name == Manifest || strings.ContainsAny(name, `/\`) || name == "." || name == ".." {
		return fmt.Errorf("write %s: %q is not a plain file name", s.dir, name)
	}
	if err := os.WriteFile(filepath.Join(s.staging, name), data, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", filepath.Join(s.dir, name), pathless(err))
	}
	s.mu.Lock()
	s.names = append(s.names, name)
	s.mu.Unlock()
	return nil
}

// Commit writes the manifest and swaps the set in, keeping what dir
// holds that ddbsim did not write.
func (s *Staged) Commit() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	slices.Sort(s.names)
	s.names = slices.Compact(s.names)
	keep, err := foreignEntries(s.abs, func(name string) bool { _, found := slices.BinarySearch(s.names, name); return found })
	if err != nil {
		return fmt.Errorf("--out %s: %w", s.dir, err)
	}
	manifest := strings.Join(s.names, "\n") + "\n"
	if err := os.WriteFile(filepath.Join(s.staging, Manifest), []byte(manifest), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", filepath.Join(s.dir, Manifest), pathless(err))
	}
	return swapIn(s.staging, s.abs, keep)
}

// Discard removes what was staged and not committed; after a Commit it
// does nothing.
func (s *Staged) Discard() {
	os.RemoveAll(s.staging) // after a successful swap nothing is there
	dropTemporary(s.staging)
}

// BetweenRenames runs between the two renames of a swap; tests use it to
// interrupt a run there.
var BetweenRenames = func() {}

// swapIn moves the entries keep of dir into staging, then renames staging
// to dir, moving dir away first and removing it after. All of it happens
// under the lock of the temporaries registry, so a second interrupt,
// which removes the registered temporaries before exiting, waits for the
// swap to finish: it leaves the new set in place and the old one to be
// removed, never neither and never a mix.
func swapIn(staging, dir string, keep []string) error {
	temporaries.Lock()
	old, err := swapLocked(staging, dir, keep)
	temporaries.Unlock()
	if err != nil {
		return fmt.Errorf("write %s: %w", dir, err)
	}
	if old != "" {
		os.RemoveAll(old)
		dropTemporary(old)
	}
	return nil
}

func swapLocked(staging, dir string, keep []string) (old string, err error) {
	if _, err := os.Lstat(dir); errors.Is(err, fs.ErrNotExist) {
		BetweenRenames()
		if err := os.Rename(staging, dir); err != nil {
			return "", pathless(err)
		}
		delete(temporaries.names, staging) // it is dir now: not to be removed
		return "", nil
	}
	moveBack := func(moved []string) {
		for _, name := range moved {
			os.Rename(filepath.Join(staging, name), filepath.Join(dir, name))
		}
	}
	for i, name := range keep {
		if err := os.Rename(filepath.Join(dir, name), filepath.Join(staging, name)); err != nil {
			moveBack(keep[:i])
			return "", fmt.Errorf("cannot keep %s: %w", name, pathless(err))
		}
	}
	old, err = os.MkdirTemp(filepath.Dir(dir), besideName(filepath.Base(dir), ".old*"))
	if err == nil {
		// syscall.Rename, not os.Rename, which refuses to replace even the
		// empty directory just made to reserve the name.
		err = syscall.Rename(dir, old)
	}
	if err != nil {
		os.Remove(old)
		moveBack(keep)
		return "", fmt.Errorf("cannot move the previous outputs away: %w", pathless(err))
	}
	temporaries.register(old)
	BetweenRenames()
	if err := os.Rename(staging, dir); err != nil {
		os.Rename(old, dir) // put the previous set back
		delete(temporaries.names, old)
		moveBack(keep)
		return "", pathless(err)
	}
	delete(temporaries.names, staging) // it is dir now: not to be removed
	return old, nil
}

// resolveOutDir is --out as an absolute path, a symbolic link to a
// directory followed, so that the swap replaces the directory the link
// leads to and keeps the link.
func resolveOutDir(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	if fi, err := os.Lstat(abs); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		if abs, err = filepath.EvalSymlinks(abs); err != nil {
			return "", fmt.Errorf("a symbolic link to a directory that cannot be reached: %w", pathless(err))
		}
	}
	if filepath.Dir(abs) == abs {
		return "", errors.New("the root directory cannot be replaced by a run's outputs")
	}
	return abs, nil
}

// foreignEntries lists what dir holds that ddbsim did not write there
// (anything missing from its manifest, and any directory), which a run
// keeps, except a file that the run's own output named output replaces. A
// directory where an output is to go is refused: replacing it would lose
// what it holds.
func foreignEntries(dir string, output func(name string) bool) ([]string, error) {
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, nil
	case err != nil:
		return nil, pathless(err)
	case !fi.IsDir():
		return nil, errors.New("is a file, not a directory")
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, pathless(err)
	}
	wrote := map[string]bool{Manifest: true}
	if m, err := os.ReadFile(filepath.Join(dir, Manifest)); err == nil {
		for _, name := range strings.Split(string(m), "\n") {
			wrote[name] = name != ""
		}
	}
	var keep []string
	for _, e := range entries {
		switch {
		case e.IsDir() && output(e.Name()):
			return nil, fmt.Errorf("holds a directory named %s, where the run writes a file; remove it or choose another directory", e.Name())
		case e.IsDir() || !wrote[e.Name()] && !output(e.Name()):
			keep = append(keep, e.Name())
		}
	}
	return keep, nil
}

// outputLike is a name that a file written by --out may have: a directory
// of such a name in --out is refused before the run, since the run's
// file names are known only after it.
func outputLike(name string) bool {
	switch filepath.Ext(name) {
	case ".txt", ".json", ".csv", ".hlog", ".html", ".svg", ".png":
		return true
	}
	return false
}

// Check makes sure, before a run, that its outputs can be written,
// and locks --out against another run until release is called: the
// --out directory (created if missing, as the run would), holding no
// directory where an output is to go, and the file or directory of a --json
// file ("" and "-" for either mean none). It creates and removes a
// temporary file where writing will make one.
func Check(outDir, jsonFile string) (release func(), err error) {
	release = func() {}
	type target struct{ flag, path, dir string }
	var targets []target
	var abs string
	if outDir != "" {
		if abs, err = resolveOutDir(outDir); err != nil {
			return release, fmt.Errorf("--out %s: %w", outDir, err)
		}
		if err := makeDirs(abs); err != nil {
			return release, fmt.Errorf("--out %s: cannot create the directory: %w", outDir, errors.Unwrap(err))
		}
		if _, err := foreignEntries(abs, outputLike); err != nil {
			removeMadeDirs()
			return release, fmt.Errorf("--out %s: %w", outDir, err)
		}
		targets = append(targets, target{"--out", outDir, filepath.Dir(abs)})
	}
	if jsonFile != "" && jsonFile != "-" {
		where, fi, err := outputTarget(jsonFile)
		switch {
		case err != nil:
			return release, fmt.Errorf("--json %s: %w", jsonFile, err)
		case fi == nil || fi.Mode().IsRegular():
			targets = append(targets, target{"--json", jsonFile, filepath.Dir(where)})
		case fi.Mode()&fs.ModeNamedPipe == 0: // opening a FIFO waits for its reader
			f, err := os.OpenFile(where, os.O_WRONLY, 0)
			if err != nil {
				return release, fmt.Errorf("--json %s: cannot write it: %w", jsonFile, pathless(err))
			}
			f.Close()
		}
	}
	for _, t := range targets {
		f, err := createTemporary(t.dir, ".ddbsim-check.tmp*")
		if err != nil {
			removeMadeDirs()
			return release, fmt.Errorf("%s %s: cannot write into %s: %w", t.flag, t.path, t.dir, errors.Unwrap(err))
		}
		f.Close()
		os.Remove(f.Name())
		dropTemporary(f.Name())
	}
	if outDir != "" {
		release, err = lockOutDir(outDir, abs)
		if err != nil {
			removeMadeDirs()
		}
		return release, err
	}
	return release, nil
}

// makeDirs is os.MkdirAll, remembering the directories it made, so that a
// run refused or stopped before writing its outputs removes them again
// (removeMadeDirs) and leaves no empty --out behind.
func makeDirs(dir string) error {
	var missing []string
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Lstat(d); err == nil || filepath.Dir(d) == d {
			break
		}
		missing = append(missing, d) // deepest first
	}
	err := os.MkdirAll(dir, 0o755)
	for try := 0; try < 3 && errors.Is(err, fs.ErrExist); try++ {
		// Another run, refused, removed the directory between MkdirAll's
		// create and its check: make it again.
		err = os.MkdirAll(dir, 0o755)
	}
	temporaries.Lock()
	defer temporaries.Unlock()
	for _, d := range missing {
		if fi, serr := os.Lstat(d); serr == nil && fi.IsDir() {
			temporaries.made = append(temporaries.made, d)
		}
	}
	return err
}

// removeMadeDirs removes the directories makeDirs made that are still
// empty, deepest first: an --out the run has written its outputs into
// stays, one it was refused before writing goes.
func removeMadeDirs() {
	temporaries.Lock()
	defer temporaries.Unlock()
	removeMadeLocked()
}

func removeMadeLocked() {
	for _, d := range temporaries.made {
		os.Remove(d) // fails, as it should, on a directory holding anything
	}
	temporaries.made = nil
}

// lockOutDir makes the lock file beside --out, exclusively, so that a
// second run into the same directory is refused rather than mixing its
// files with the first's. The lock is registered as a temporary, so that
// a second interrupt removes it too.
func lockOutDir(outDir, abs string) (release func(), err error) {
	lock := filepath.Join(filepath.Dir(abs), besideName(filepath.Base(abs), ".lock"))
	temporaries.Lock()
	f, err := os.OpenFile(lock, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err == nil {
		temporaries.register(lock)
	}
	temporaries.Unlock()
	if errors.Is(err, fs.ErrExist) {
		return func() {}, fmt.Errorf("--out %s: another ddbsim run is writing it (%s exists; remove that file if no run is)", outDir, lock)
	}
	if err != nil {
		return func() {}, fmt.Errorf("--out %s: cannot lock it: %w", outDir, pathless(err))
	}
	f.WriteString(strconv.Itoa(os.Getpid()) + "\n") // who holds it, for whoever finds it left behind
	f.Close()
	return func() {
		os.Remove(lock)
		dropTemporary(lock)
		removeMadeDirs()
	}, nil
}
