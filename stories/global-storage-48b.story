# Global tables: each replica's storage carries 48 bytes more per item
# Source: REFERENCE.md units ("global tables: +48 B more"), global; AWS DynamoDB Developer Guide, "DynamoDB item sizes and formats" (per-item storage overhead)
# Published: storage billing adds 100 bytes to every item, and global tables need 48 bytes more per item: 1,000,000 items of 1 KB are billed as 1,172,000,000 bytes in each replica, 1.0915 GiB, 0.001495 GB-months for an hour of a 730-hour month (0.001434 without the 48 bytes).
# Expect: "table": "carts",\s+"item": "storage",\s+"unit": "GB-months",\s+"quantity": 0\.00(1495|1516),
# Expect: "table": "carts@eu-west-1",\s+"item": "storage",\s+"unit": "GB-months",\s+"quantity": 0\.00(1495|1516),
$ ddbsim run --json - story.yaml
version: 1
name: global-storage-48b
description: A global table of a million 1 KB items in two regions, read once a second for an hour.
duration: 1h
tables:
  - name: carts
    partition_key: id
    mode: on-demand
    items: {count: 1M, size: 1KB}
    replicas: [us-east-1, eu-west-1]
workloads:
  - {name: w, table: carts, rate: 1/s, arrival: constant, mix: {get: 100%}, keys: {distribution: uniform}}
----
{
  "schema_version": 1,
  "scenario": "global-storage-48b",
  "seed": 1,
  "duration_s": 3600,
  "complete": true,
  "requests": {
    "total": 3599,
    "succeeded": 3599,
    "throttled": 0,
    "throttle_events": 0,
    "retries": 0,
    "errors": 0
  },
  "ratios": {
    "throttled": 0,
    "errors": 0
  },
  "latency_ms": {
    "p50": 2.559,
    "p90": 5.415,
    "p99": 10.463,
    "p999": 14.759,
    "max": 20.958,
    "mean": 3.046
  },
  "operations": {
    "get": {
      "count": 3599,
      "latency_ms": {
        "p50": 2.559,
        "p90": 5.415,
        "p99": 10.463,
        "p999": 14.759,
        "max": 20.958,
        "mean": 3.046
      }
    }
  },
  "tables": [
    {
      "name": "carts",
      "region": "us-east-1",
      "mode": "on-demand",
      "partitions": 8,
      "consumed_rcu": 1799.5,
      "consumed_wcu": 0,
      "throttles_by_reason": {},
      "mean_rcu_per_s": 0.5,
      "peak_rcu_per_s": 0.5,
      "mean_wcu_per_s": 0,
      "peak_wcu_per_s": 0,
      "throttled_ratio": 0,
      "final_rcu": 12000,
      "final_wcu": 4000,
      "requests": {
        "total": 3599,
        "succeeded": 3599,
        "throttled": 0,
        "throttle_events": 0,
        "retries": 0,
        "errors": 0
      },
      "latency_ms": {
        "p50": 2.559,
        "p90": 5.415,
        "p99": 10.463,
        "p999": 14.759,
        "max": 20.958,
        "mean": 3.046
      },
      "operations": {
        "get": {
          "count": 3599,
          "latency_ms": {
            "p50": 2.559,
            "p90": 5.415,
            "p99": 10.463,
            "p999": 14.759,
            "max": 20.958,
            "mean": 3.046
          }
        }
      }
    },
    {
      "name": "carts@eu-west-1",
      "region": "eu-west-1",
      "mode": "on-demand",
      "partitions": 8,
      "consumed_rcu": 0,
      "consumed_wcu": 0,
      "throttles_by_reason": {},
      "mean_rcu_per_s": 0,
      "peak_rcu_per_s": 0,
      "mean_wcu_per_s": 0,
      "peak_wcu_per_s": 0,
      "throttled_ratio": 0,
      "final_rcu": 12000,
      "final_wcu": 4000
    }
  ],
  "workloads": [
    {
      "name": "w",
      "table": "carts",
      "requests": {
        "total": 3599,
        "succeeded": 3599,
        "throttled": 0,
        "throttle_events": 0,
        "retries": 0,
        "errors": 0
      },
      "latency_ms": {
        "p50": 2.559,
        "p90": 5.415,
        "p99": 10.463,
        "p999": 14.759,
        "max": 20.958,
        "mean": 3.046
      },
      "throttled_ratio": 0,
      "operations": {
        "get": {
          "count": 3599,
          "latency_ms": {
            "p50": 2.559,
            "p90": 5.415,
            "p99": 10.463,
            "p999": 14.759,
            "max": 20.958,
            "mean": 3.046
          }
        }
      }
    }
  ],
  "thresholds": [],
  "cost": {
    "total_usd": 0.000973,
    "monthly_usd": 0.71,
    "breakdown": {
      "read_capacity": 0,
      "read_requests": 0.000225,
      "reserved_read_capacity": 0,
      "reserved_write_capacity": 0,
      "storage": 0.000748,
      "write_capacity": 0,
      "write_requests": 0
    },
    "lines": [
      {
        "table": "carts",
        "item": "read_requests",
        "unit": "read request units",
        "quantity": 1799.5,
        "free": 0,
        "price_usd": 1.25e-7,
        "usd": 0.000225
      },
      {
        "table": "carts",
        "item": "storage",
        "unit": "GB-months",
        "quantity": 0.001495,
        "free": 0,
        "price_usd": 0.25,
        "usd": 0.000374
      },
      {
        "table": "carts@eu-west-1",
        "item": "storage",
        "unit": "GB-months",
        "quantity": 0.001495,
        "free": 0,
        "price_usd": 0.25,
        "usd": 0.000374
      }
    ]
  },
  "replication": {
    "lag_ms": {
      "p50": 0,
      "p90": 0,
      "p99": 0,
      "max": 0
    },
    "replicated_writes": 0,
    "conflicts": 0,
    "overwritten_updates": 0,
    "reads": 3599,
    "stale_reads": 0,
    "stale_read_ratio": 0,
    "unreplicated_at_outage": 0,
    "availability_min": 1,
    "availability": [
      {
        "t_s": 0,
        "ratio": 1
      },
      {
        "t_s": 300,
        "ratio": 1
      },
      {
        "t_s": 600,
        "ratio": 1
      },
      {
        "t_s": 900,
        "ratio": 1
      },
      {
        "t_s": 1200,
        "ratio": 1
      },
      {
        "t_s": 1500,
        "ratio": 1
      },
      {
        "t_s": 1800,
        "ratio": 1
      },
      {
        "t_s": 2100,
        "ratio": 1
      },
      {
        "t_s": 2400,
        "ratio": 1
      },
      {
        "t_s": 2700,
        "ratio": 1
      },
      {
        "t_s": 3000,
        "ratio": 1
      },
      {
        "t_s": 3300,
        "ratio": 1
      }
    ]
  },
  "errors_by_kind": {},
  "capacity_events": []
}
exit 0
