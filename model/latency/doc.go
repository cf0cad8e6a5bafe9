// Package latency draws service times: lognormal distributions given by
// their median and 99th percentile, and the latency model of each
// operation, throttle and DAX node (REFERENCE: latency).
package latency
