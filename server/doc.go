// Package server serves the DynamoDB API over HTTP on the capacity model:
// one serialising loop owns every simulation of a served session and
// advances it to the virtual time a scaled wall clock gives, the HTTP
// edge turns requests into calls on that loop, and the control plane
// creates, describes, updates and deletes tables, each an in-memory
// scenario simulated on its own.
package server
