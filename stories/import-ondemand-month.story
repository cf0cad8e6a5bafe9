# An imported month: 100 WCU consumed every second for 720 hours on demand
# Source: REFERENCE.md prices (on-demand: $0.625 per million write request units); docs/import.md
# Published: 100 write units a second for 720 h is 259,200,000 write request units, $162.00 on demand; the reconstruction prices the metrics' total and the simulated run the same to the cent.
# Expect: from the metrics  \$162\.00  \(0 read units, 259,200,000 write units\)
# Expect: simulated         \$162\.00  \(on-demand run\)   difference \$0\.00 \(0\.00%\)
$ ddbsim compare story.yaml --fidelity aggregate --modes on-demand
version: 1
name: imported-month
description: "A month as ddbsim import writes it, reduced to one step: 100 writes of 1 KB a second for 30 days."
duration: 720h
tables:
  - name: orders
    partition_key: customer
    mode: on-demand
    items: {count: 100000, size: 1KB}
workloads:
  - name: orders-writes
    table: orders
    series:
      step: 720h
      rates: [100]
    arrival: constant
    mix: {put: 100%}
    item_size: 1KB
history:
  from: 2026-11-01T00:00:00Z
  to: 2026-12-01T00:00:00Z
  tables:
    - table: orders
      mode: on-demand
      write_units: 259200000
----
imported-month  seed 1  duration 720h0m0s, each mode

mode       monthly cost  throttled      p50      p99  retries  thresholds
on-demand       $164.28  0 (0.00%)  3.50 ms  12.0 ms        0  none

winner: on-demand (cheapest; the scenario has no thresholds)
verdict: on-demand is the cheapest (you set no thresholds) and gives up none, p99 12.0 ms

over the imported window 2026-11-01 to 2026-12-01 (720 h):
mode       cost
on-demand  $162.03
reconstruction of orders (billed on-demand), throughput only:
  from the metrics  $162.00  (0 read units, 259,200,000 write units)
  simulated         $162.00  (on-demand run)   difference $0.00 (0.00%)
(throughput only: storage, streams and backups are not in these metrics)
exit 0
