#!/bin/bash
# PostgreSQL settings for the benchmarks on this 2-core / 24 GB machine (run as root against
# the local Debian cluster; idempotent: restarts the cluster only when a value changes).
# Defaults (shared_buffers 128MB, work_mem 4MB) make every province-wide roll-up read the
# tables from the OS cache block by block; see bench/RESULTS.md for before/after.
set -euo pipefail
want="shared_buffers=4GB effective_cache_size=16GB work_mem=64MB maintenance_work_mem=1GB random_page_cost=1.1 jit=off max_parallel_workers_per_gather=2"
changed=0
for kv in $want; do
  k=${kv%%=*}; v=${kv#*=}
  cur=$(su postgres -c "psql -qtAc \"SELECT setting || coalesce(unit,'') FROM pg_settings WHERE name='$k'\"")
  norm=$(su postgres -c "psql -qtAc \"SELECT CASE WHEN unit IS NULL THEN '$v' ELSE pg_size_bytes('$v')::text END FROM pg_settings WHERE name='$k'\"" 2>/dev/null || echo "$v")
  curb=$(su postgres -c "psql -qtAc \"SELECT CASE WHEN unit IS NULL THEN setting ELSE (pg_size_bytes(setting || CASE unit WHEN '8kB' THEN '' ELSE '' END) * CASE unit WHEN '8kB' THEN 8192 WHEN 'kB' THEN 1024 WHEN 'MB' THEN 1048576 ELSE 1 END)::text END FROM pg_settings WHERE name='$k'\"" 2>/dev/null || echo "$cur")
  if [ "$curb" != "$norm" ]; then
    su postgres -c "psql -qc \"ALTER SYSTEM SET $k = '$v'\""
    changed=1
  fi
done
if [ "$changed" = 1 ]; then
  cluster=$(pg_lsclusters -h | awk 'NR==1 {print $1" "$2}')
  # shellcheck disable=SC2086
  pg_ctlcluster $cluster restart
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 && break; sleep 1; done
  echo "PostgreSQL tuned: $want"
fi
