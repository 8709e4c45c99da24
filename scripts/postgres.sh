# Sourced by scripts/test.sh: makes sure a PostgreSQL server is reachable and exports
# QINGNONG_PG_URL (default postgres://qingnong:qingnong@127.0.0.1:5432/qingnong). For a
# local URL, as root on Debian, it starts the cluster of the `postgresql` package and
# creates the role and the database; any other URL must point at a running server.
export QINGNONG_PG_URL=${QINGNONG_PG_URL:-postgres://qingnong:qingnong@127.0.0.1:5432/qingnong}
if [[ "$QINGNONG_PG_URL" == *@127.0.0.1:5432/* || "$QINGNONG_PG_URL" == *@localhost:5432/* ]]; then
  pg_db=${QINGNONG_PG_URL##*/}
  if command -v pg_lsclusters >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    cluster=$(pg_lsclusters -h | awk 'NR==1 {print $1" "$2}')
    if [ -z "$cluster" ]; then
      pg_createcluster 15 main >/dev/null && cluster="15 main"
    fi
    # shellcheck disable=SC2086
    pg_ctlcluster $cluster start >/dev/null 2>&1 || true
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 && break; sleep 1; done
    su postgres -c "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='qingnong'\"" | grep -q 1 \
      || su postgres -c "psql -qc \"CREATE USER qingnong SUPERUSER PASSWORD 'qingnong'\""
    su postgres -c "psql -qtAc \"SELECT 1 FROM pg_database WHERE datname='$pg_db'\"" | grep -q 1 \
      || su postgres -c "createdb -O qingnong $pg_db"
  fi
fi
if ! .venv/bin/python -c "import psycopg, os; psycopg.connect(os.environ['QINGNONG_PG_URL'], connect_timeout=5).close()" 2>/dev/null; then
  echo "无法连接 PostgreSQL（$QINGNONG_PG_URL）。请以 root 运行（会自动启动 Debian 的 postgresql），或设置 QINGNONG_PG_URL。"
  exit 1
fi
