# DAX: the sizing guide's example needs three dax.r5.large nodes
# Source: REFERENCE.md dax (sizing); AWS DynamoDB Developer Guide, "Sizing your DAX cluster" (dax-cluster-sizing.html, calculating approximate cluster capacity requirements)
# Published: 50,000 cache hits, 1,000 misses and 100 writes a second of 2 KB items on 3 nodes are 135,000 normalized requests a second; times the greater of 1.43 (70% utilisation) and 1.5 (a node of three lost) that is a target of 202,500, which needs three dax.r5.large nodes (225,000).
# Expect: normalized load = 100,000 \+ 20,000 \+ 15,000 = 135,000 req/s
# Expect: target = 135,000 x 1\.5 = 202,500 req/s against 225,000
# Expect: smallest dax\.r5\.large cluster with that headroom: 3 nodes
$ ddbsim calc dax --hits 50000/s --misses 1000/s --writes 100/s --item-size 2KB --nodes 3 --node-type dax.r5.large
----
hits    50,000/s x 2 KB x 1 = 100,000
misses  1,000/s x 2 KB x 10 = 20,000
writes  100/s x 2 KB x 25 x 3 nodes = 15,000 (a write reaches every node)
normalized load = 100,000 + 20,000 + 15,000 = 135,000 req/s
capacity: 3 x dax.r5.large at 75,000 = 225,000 req/s, 60.0% used: it fits
headroom: the greater of 1/70% = 1.43 (utilisation target) and 3/2 = 1.5 (a node lost): x1.5
target = 135,000 x 1.5 = 202,500 req/s against 225,000: within its capacity
smallest dax.r5.large cluster with that headroom: 3 nodes (target 202,500 against 225,000)
price: 3 nodes x $0.269 x 730 h = $589.11 a month (730 hours, 365 days / 12)
exit 0
