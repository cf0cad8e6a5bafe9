package main

import (
	"embed"
	"strings"
)

// The commands' long help texts, one file each, read by ddbsim help NAME
// and kept beside docs/cli.md.
//
//go:embed help/*.txt
var helpFiles embed.FS

// helpText is the long help of the command name.
func helpText(name string) string {
	b, err := helpFiles.ReadFile("help/" + name + ".txt")
	if err != nil {
		panic("no help text for " + name) // a build without its help files
	}
	return strings.TrimSuffix(string(b), "\n")
}
