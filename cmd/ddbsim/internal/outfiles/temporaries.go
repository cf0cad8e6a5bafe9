package outfiles

import (
	"os"
	"sync"
)

// temporaries are the temporary files and directories being written by
// WriteFile and WriteSet, a previous output directory being
// replaced, and the lock of an --out directory, for a second interrupt to
// remove before exiting.
var temporaries temporaryRegistry

type temporaryRegistry struct {
	sync.Mutex
	names map[string]bool
	// made are the directories Check made for an --out, deepest first:
	// removed when still empty as the run ends, or by a second interrupt.
	made []string
}

// createTemporary is os.CreateTemp, with the file registered under the
// same lock that RemoveTemporaries takes, so that no interrupt falls
// between its creation and its registration.
func createTemporary(dir, pattern string) (*os.File, error) {
	temporaries.Lock()
	defer temporaries.Unlock()
	f, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return nil, err
	}
	temporaries.register(f.Name())
	return f, nil
}

// makeTemporaryDir is os.MkdirTemp, registered as createTemporary's files
// are.
func makeTemporaryDir(dir, pattern string) (string, error) {
	temporaries.Lock()
	defer temporaries.Unlock()
	name, err := os.MkdirTemp(dir, pattern)
	if err != nil {
		return "", err
	}
	temporaries.register(name)
	return name, nil
}

// register adds name to the temporaries; the caller holds their lock.
func (t *temporaryRegistry) register(name string) {
	if t.names == nil {
		t.names = map[string]bool{}
	}
	t.names[name] = true
}

func dropTemporary(name string) {
	temporaries.Lock()
	defer temporaries.Unlock()
	delete(temporaries.names, name)
}

// RemoveTemporaries removes every registered temporary, and the
// directories made for an --out that are still empty: what a second
// interrupt does before exiting.
func RemoveTemporaries() {
	temporaries.Lock()
	defer temporaries.Unlock()
	for name := range temporaries.names {
		os.RemoveAll(name)
	}
	removeMadeLocked()
}
