// Package docs holds ddbsim's documentation (the Markdown files beside this
// one) and the test that keeps it true: every console example in README.md,
// CONTRIBUTING.md and docs/*.md, and every row of the table of bad inputs in
// errors.md, is run against a freshly built ddbsim and compared with what it
// prints. The package has no Go API; it exists so that `go test ./...` runs
// that test.
package docs
