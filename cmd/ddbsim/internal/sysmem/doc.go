// Package sysmem reads how much memory the machine can give a new
// process, for the CLI's resource guard.
package sysmem
