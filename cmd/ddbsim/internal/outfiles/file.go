package outfiles

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// WriteFile writes data to path. A regular file (or a missing one)
// is written through a temporary file in the same directory and a rename,
// so a reader never sees a half-written file and a failed run leaves the
// previous file in place. A symbolic link is followed, so the link stays
// and its target is written. A device or a FIFO (/dev/null, /dev/stdout,
// /dev/full, a named pipe) is opened and written in place, never replaced
// by a regular file, and its write errors (ENOSPC from /dev/full) are
// reported.
func WriteFile(path string, data []byte) error {
	target, fi, err := outputTarget(path)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if fi != nil && !fi.Mode().IsRegular() {
		return writeThrough(path, target, data)
	}
	tmp, err := createTemporary(filepath.Dir(target), besideName(filepath.Base(target), ".tmp*"))
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
	if err := os.Rename(tmp.Name(), target); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// outputTarget is the file that writing path writes: path itself, or the
// file a symbolic link at path leads to (which may not exist yet), with
// what is there now (nil when nothing is). A directory is an error.
func outputTarget(path string) (string, fs.FileInfo, error) {
	target := path
	for range 40 { // as many links as Linux follows
		fi, err := os.Lstat(target)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return target, nil, nil
		case err != nil:
			return "", nil, pathless(err)
		case fi.IsDir():
			return "", nil, errors.New("is a directory, not a file")
		case fi.Mode()&fs.ModeSymlink == 0:
			return target, fi, nil
		}
		link, err := os.Readlink(target)
		if err != nil {
			return "", nil, pathless(err)
		}
		if !filepath.IsAbs(link) {
			link = filepath.Join(filepath.Dir(target), link)
		}
		target = link
	}
	return "", nil, errors.New("too many levels of symbolic links")
}

// writeThrough writes data into an existing file that is not a regular
// one, in place: a device or a FIFO cannot be replaced by renaming.
func writeThrough(path, target string, data []byte) error {
	f, err := os.OpenFile(target, os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, pathless(err))
	}
	_, werr := f.Write(data)
	if err := errors.Join(werr, f.Close()); err != nil {
		return fmt.Errorf("write %s: %w", path, pathless(err))
	}
	return nil
}

// pathless is err without the *fs.PathError wrapping that repeats the
// operation and path which the caller's message already names.
func pathless(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// besideName is a hidden name made from base for a file or directory next
// to it (a temporary, a lock), kept within the 255 bytes a file name may
// hold: a long base is cut, since the suffix's random part or the lock's
// owner makes it unique.
func besideName(base, suffix string) string {
	const room = 255 - 1 - 24 // a dot, the longest suffix with CreateTemp's digits
	if len(base) > room {
		base = base[:room]
	}
	return "." + base + suffix
}
