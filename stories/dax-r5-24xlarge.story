# DAX: the largest node type, dax.r5.24xlarge, serves a million normalized requests a second
# Source: REFERENCE.md dax; AWS DynamoDB Developer Guide, "Sizing your DAX cluster" (dax-cluster-sizing.html: r5.8xlarge and larger at about 1,000,000 normalized requests a second a node) and the DAX pricing page's node types
# Published: DAX offers r5 nodes up to dax.r5.24xlarge, each serving about 1,000,000 normalized requests a second; a million 1 KB hits a second fill one, and a cluster sized with the guide's headroom for losing a node needs two.
# Expect: ^capacity: 2 x dax\.r5\.24xlarge at 1,000,000 = 2,000,000 req/s, 50\.0% used: it fits$
# Expect: ^smallest dax\.r5\.24xlarge cluster with that headroom: 2 nodes\b
$ ddbsim calc dax --hits 1000000/s --misses 0/s --writes 0/s --item-size 1KB --nodes 2 --node-type dax.r5.24xlarge
----
hits    1,000,000/s x 1 KB x 1 = 1,000,000
misses  0/s x 1 KB x 10 = 0
writes  0/s x 1 KB x 25 x 2 nodes = 0 (a write reaches every node)
normalized load = 1,000,000 + 0 + 0 = 1,000,000 req/s
capacity: 2 x dax.r5.24xlarge at 1,000,000 = 2,000,000 req/s, 50.0% used: it fits
headroom: the greater of 1/70% = 1.43 (utilisation target) and 2/1 = 2 (a node lost): x2
target = 1,000,000 x 2 = 2,000,000 req/s against 2,000,000: within its capacity
smallest dax.r5.24xlarge cluster with that headroom: 2 nodes (target 2,000,000 against 2,000,000)
price: 2 nodes x $12.912 x 730 h = $18,851.52 a month (730 hours, 365 days / 12)
exit 0
