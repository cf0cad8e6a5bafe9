// Package billing prices what tables use: the price book of a region and
// table class, the meter that accrues a table's billable usage from plain
// numbers period by period, line items with the always-free tier, and the
// break-even utilisation between capacity modes (REFERENCE: prices).
package billing
