#!/usr/bin/env bash
# The project's test command: builds the solution (Debug) and runs every test project.
#
#   ./scripts/test.sh [extra dotnet test / Microsoft.Testing.Platform arguments...]
#
# Postgres: if NOTIFLOWS_TEST_POSTGRES is set (an Npgsql connection string whose user may
# CREATE DATABASE) it is used as is; otherwise a throwaway cluster is started in a temp dir
# and removed on exit. CI (e.g. CI=true) is passed through: with CI=true, tests treat a
# missing Postgres as a failure rather than a skip.
#
# SMTP tests: a real SMTP server on Debian's python3-aiosmtpd, installed here with apt-get when missing (skip locally
# / fail with CI=true without it).
#
# Browser tests: Playwright drives Debian's chromium (/usr/bin/chromium, or NOTIFLOWS_TEST_CHROMIUM), installed here
# with apt-get when missing; Playwright never downloads a browser. Without chromium, the browser tests skip locally
# and fail with CI=true.
#
# The last line of output is always "N passed, N failed[, N skipped]", counted from the TRX
# reports in artifacts/test-results. Exits non-zero if a test failed, dotnet test failed,
# or no test ran.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [[ -n "${CI+set}" ]]; then export CI; fi

pg_bin='' pg_dir='' as_pg=()

# apt_install PACKAGE WHAT: installs a Debian package (root only; the callers check).
apt_install() {
  echo "test.sh: installing $1 with apt-get ($2)..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q "$1"
}

find_pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true; }

stop_postgres() {
  [[ -n "$pg_dir" ]] || return 0
  if [[ -f "$pg_dir/data/postmaster.pid" ]]; then
    "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$pg_dir"
}

start_postgres() {
  pg_bin=$(find_pg_bin)
  if [[ -z "$pg_bin" ]]; then
    if [[ $(id -u) -ne 0 ]]; then
      echo "test.sh: no PostgreSQL server found in /usr/lib/postgresql/*/bin, and only root may install it." >&2
      echo "test.sh: run 'sudo apt-get install postgresql', or set NOTIFLOWS_TEST_POSTGRES to an existing server." >&2
      exit 1
    fi
    apt_install postgresql "for the PostgreSQL tests"
    pg_bin=$(find_pg_bin)
    [[ -n "$pg_bin" ]] || { echo "test.sh: postgresql installed, but no /usr/lib/postgresql/*/bin" >&2; exit 1; }
  fi

  pg_dir=$(mktemp -d -t notiflows-pg.XXXXXX)
  trap stop_postgres EXIT
  trap 'exit 130' INT   # make Ctrl-C / kill go through the EXIT trap
  trap 'exit 143' TERM

  # postgres refuses to run as root: as root, run the cluster as the 'postgres' system user.
  if [[ $(id -u) -eq 0 ]]; then
    id -u postgres >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin postgres
    chown postgres: "$pg_dir"
    as_pg=(runuser -u postgres --)
  fi

  # Free port chosen by the kernel (tiny race between closing it here and postgres binding it).
  local port
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

  # cd: the postgres user may not be allowed into the repo directory.
  (cd "$pg_dir" && "${as_pg[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -A trust -U notiflows -E UTF8 >"$pg_dir/initdb.log" 2>&1) \
    || { cat "$pg_dir/initdb.log" >&2; exit 1; }
  # Durability is pointless for a throwaway cluster: trade it for speed.
  cat >>"$pg_dir/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$pg_dir'
max_connections = 300
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
  (cd "$pg_dir" && "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/postgres.log" -w -t 60 start >/dev/null) \
    || { cat "$pg_dir/postgres.log" >&2; exit 1; }
  echo "test.sh: started throwaway PostgreSQL ($pg_bin) on 127.0.0.1:$port" >&2
  export NOTIFLOWS_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=notiflows;Database=postgres"
}

if [[ -z "${NOTIFLOWS_TEST_POSTGRES:-}" ]]; then start_postgres; fi

ensure_chromium() {
  local chromium="${NOTIFLOWS_TEST_CHROMIUM:-/usr/bin/chromium}"
  [[ -x "$chromium" ]] && return 0
  if [[ $(id -u) -ne 0 ]]; then
    echo "test.sh: $chromium is missing and only root may install it ('sudo apt-get install chromium'); browser tests will skip (fail with CI=true)." >&2
    return 0
  fi
  apt_install chromium "for the browser tests"
}
ensure_chromium
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

# SMTP provider tests: a real SMTP server on Debian's python3-aiosmtpd (run with /usr/bin/python3, not a pyenv shim).
ensure_aiosmtpd() {
  /usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null && return 0
  if [[ $(id -u) -ne 0 ]]; then
    echo "test.sh: python3-aiosmtpd is missing and only root may install it ('sudo apt-get install python3-aiosmtpd'); SMTP tests will skip (fail with CI=true)." >&2
    return 0
  fi
  apt_install python3-aiosmtpd "for the SMTP provider tests"
}
ensure_aiosmtpd
export NOTIFLOWS_TEST_PYTHON="${NOTIFLOWS_TEST_PYTHON:-/usr/bin/python3}"

results_dir="$PWD/artifacts/test-results"
rm -rf "$results_dir"   # stale TRX files would be counted again

dotnet build Notiflows.slnx
# --report-xunit-trx: xunit.v3's own TRX reporter (MTP's --report-trx needs an extra package).
test_rc=0
dotnet test --solution Notiflows.slnx --no-build --report-xunit-trx --results-directory "$results_dir" "$@" || test_rc=$?
if [[ $test_rc -ne 0 ]]; then echo "test.sh: dotnet test exited with code $test_rc" >&2; fi

# Count outcomes over all TRX files (one per test assembly); the summary is the last line.
parse_rc=0
python3 - "$results_dir" <<'PY' || parse_rc=$?
import glob, os, sys
import xml.etree.ElementTree as ET

ns = "{http://microsoft.com/schemas/VisualStudio/TeamTest/2010}"
passed = failed = skipped = 0
for path in glob.glob(os.path.join(sys.argv[1], "**", "*.trx"), recursive=True):
    for result in ET.parse(path).getroot().iter(ns + "UnitTestResult"):
        outcome = result.get("outcome", "")
        if outcome == "Passed":
            passed += 1
        elif outcome in ("NotExecuted", "Inconclusive", "Pending"):
            skipped += 1   # xunit writes skipped tests as NotExecuted
        else:
            failed += 1    # Failed, Error, Timeout, Aborted, ...
if passed + failed + skipped == 0:
    print("test.sh: no tests ran", file=sys.stderr)
sys.stderr.flush()
print(f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
sys.exit(1 if failed or passed + failed + skipped == 0 else 0)
PY

if [[ $test_rc -ne 0 ]]; then exit "$test_rc"; fi
exit "$parse_rc"
