// Package units is the service's capacity arithmetic: operations, read
// consistency, capacity units in thousandths, and what reading or writing
// an item of a given size costs (REFERENCE: units).
package units
