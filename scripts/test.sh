#!/usr/bin/env bash
# Runs the test suite: on SQLite, on PostgreSQL, then the Playwright browser tests.
# `scripts/test.sh sqlite|postgres|browser` runs one part.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
parts=("${@:-sqlite postgres browser}")
parts=(${parts[*]})
export PYTHONDONTWRITEBYTECODE=1
export QINGNONG_TESTING=1  # management commands below run with the test settings (dev secret)

has() { [[ " ${parts[*]} " == *" $1 "* ]]; }

echo "== 依赖方向：lint-imports =="
$BIN/lint-imports --no-cache || { echo "有应用向上导入：见上方违反的约定（pyproject.toml [tool.importlinter]）"; exit 1; }

echo "== 代码检查：ruff =="
$BIN/ruff check --quiet qingnong tests bench conftest.py || { echo "ruff 发现未使用或未定义的名字：见上方"; exit 1; }

$BIN/qingnong makemigrations --check --dry-run >/dev/null || { echo "模型有改动但缺少迁移文件：请运行 qingnong makemigrations"; exit 1; }

if has sqlite; then
  echo "== 测试：SQLite =="
  env -u DATABASE_URL $BIN/pytest -m "not browser" -q
fi

if has postgres; then
  echo "== 测试：PostgreSQL =="
  # shellcheck source=scripts/postgres.sh
  source scripts/postgres.sh
  DATABASE_URL="$QINGNONG_PG_URL" $BIN/pytest -m "not browser" -q
fi

if has browser; then
  echo "== 测试：浏览器（Playwright + Chromium）=="
  [ -x /usr/bin/chromium ] || { echo "缺少 /usr/bin/chromium：apt-get install chromium fonts-noto-cjk"; exit 1; }
  mkdir -p test-artifacts
  env -u DATABASE_URL $BIN/pytest -m browser -q
fi
