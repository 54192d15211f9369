#!/usr/bin/env bash
# The one test command: installs what the tests need (redis-server, wrk, chromium, prometheus-alertmanager, nodejs and
# npm, from Debian), checks the code's format, builds, runs every test project, and ends with one line that sums them all:
# "tests: N passed, N failed, N skipped".
# The tests start their own redis-server processes on free loopback ports (some kill them on purpose).
#
#   ./test.sh            everything, as CI runs it
#   ./test.sh --fast     the inner loop: leaves out the slow tests (chaos, crash, failover, benchmark smoke)
#   ./test.sh --filter FullyQualifiedName~Slack    any other arguments go to dotnet test
set -euo pipefail
cd "$(dirname "$0")"

args=()
for arg in "$@"; do
  if [ "$arg" = "--fast" ]; then args+=(--filter "Category!=Slow"); else args+=("$arg"); fi
done

# wrk, prometheus-alertmanager, node and npm: the benchmark's smoke form runs among the tests, so that ./bench.sh cannot rot.
missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v prometheus-alertmanager >/dev/null 2>&1 || missing+=(prometheus-alertmanager)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing ${missing[*]} (Debian packages)..."
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi
redis-server --version

# The format first: a failure here is quick to see and to mend, and counts as a failed test.
echo "Checking the format (dotnet format --verify-no-changes)..."
if ! dotnet format AssistanceRouter.sln --verify-no-changes; then
  echo "the code is not formatted as .editorconfig says: run 'dotnet format AssistanceRouter.sln' and commit what it changes" >&2
  echo "tests: 0 passed, 1 failed, 0 skipped"
  exit 1
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test AssistanceRouter.sln --nologo ${args[@]+"${args[@]}"} 2>&1 | tee "$log" || status=$?

# dotnet test prints one summary line per test project: "Passed!  - Failed:     0, Passed:    90, Skipped: ..."
read -r passed failed skipped projects < <(awk '
  /(Passed|Failed)!  - Failed:/ {
    gsub(",", ""); projects++
    for (i = 1; i <= NF; i++) {
      if ($i == "Failed:") f += $(i+1)
      if ($i == "Passed:") p += $(i+1)
      if ($i == "Skipped:") s += $(i+1)
    }
  }
  END { print p+0, f+0, s+0, projects+0 }' "$log")

# A test host that crashed or hung counts as a failure even if its summary line says otherwise.
if grep -q "Test Run Aborted" "$log"; then
  echo "a test run was aborted (a test host crashed or hung): see above" >&2
  failed=$((failed + 1))
fi
echo "tests: ${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "$projects" -eq 0 ] || [ "$passed" -eq 0 ]; then
  echo "no test ran" >&2
  exit 1
fi
[ "$failed" -eq 0 ] || exit 1
exit "$status"
