#!/usr/bin/env bash
# The one test command: installs what the tests need (redis-server, wrk, chromium, prometheus-alertmanager,
# prometheus for promtool, nodejs and npm, from Debian), checks the code's format, builds, runs every test project, and ends with one line that sums them all:
# "tests: N passed, N failed, N skipped".
# The tests start their own redis-server processes on free loopback ports (some kill them on purpose).
#
#   ./test.sh            everything, as CI runs it
#   ./test.sh --fast     the inner loop: leaves out the slow tests (chaos, crash, failover, benchmark smoke)
#   ./test.sh --filter FullyQualifiedName~Slack    any other arguments go to dotnet test
#   ./test.sh --coverage [--filter EXPR]      the fast tests (or EXPR's) with coverlet, child processes included
#   ./test.sh --mutants FILE... [--filter EXPR]  Stryker.NET on each file with the fast tests (or EXPR's) that reach it
# The last two are not part of the default run (they take minutes to an hour): docs/testing.md says how to read them.
set -euo pipefail
cd "$(dirname "$0")"

# The tests a --coverage or --mutants run uses: the fast ones unless --filter says otherwise.
tool_filter="Category!=Slow"
tool_args=()
read_tool_args() {
  while [ $# -gt 0 ]; do
    if [ "$1" = "--filter" ] && [ $# -gt 1 ]; then tool_filter="$2"; shift 2; else tool_args+=("$1"); shift; fi
  done
}

# Line and branch coverage per class of the product (one type a file), from coverlet's report, through ReportGenerator.
# NodeProcess stops its children with SIGTERM, so that what they covered is written too (a killed process keeps it).
if [ "${1:-}" = "--coverage" ]; then
  shift
  read_tool_args "$@"
  dotnet tool restore >/dev/null
  out=artifacts/coverage
  rm -rf "$out"
  dotnet build AssistanceRouter.sln --nologo -v q
  status=0
  dotnet test tests/AssistanceRouter.Tests --no-build --nologo --filter "$tool_filter" --collect "XPlat Code Coverage" \
    --results-directory "$out/raw" || status=$?
  dotnet tool run reportgenerator -- "-reports:$out/raw/*/coverage.cobertura.xml" "-targetdir:$out" \
    "-reporttypes:TextSummary;Html" "-assemblyfilters:+AssistanceRouter.Api;+AssistanceRouter.Grains;+AssistanceRouter.ServiceDefaults;+AssistanceRouter.Silo" >/dev/null
  cat "$out/Summary.txt"
  echo "coverage of the tests matching '$tool_filter': $out/index.html (per file), $out/Summary.txt"
  exit "$status"
fi

# Mutation testing: Stryker.NET (a local tool, dotnet-tools.json) changes the product's code one mutant at a time and
# runs, for each, the tests that reach it (its per-test coverage); a mutant that no test notices survives.
if [ "${1:-}" = "--mutants" ]; then
  shift
  read_tool_args "$@"
  if [ ${#tool_args[@]} -eq 0 ]; then
    echo "usage: ./test.sh --mutants src/Grains/Channels/TokenBucket.cs [more files] [--filter EXPR]" >&2
    exit 2
  fi
  command -v jq >/dev/null 2>&1 || { [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo" || sudo_cmd=""; $sudo_cmd apt-get install -y -qq jq >/dev/null; }
  dotnet tool restore >/dev/null
  declare -A patterns=() project_of=()
  for file in "${tool_args[@]}"; do
    [ -f "$file" ] || { echo "no such file: $file" >&2; exit 2; }
    dir=$(dirname "$file")
    while [ "$dir" != "." ] && ! compgen -G "$dir/*.csproj" >/dev/null; do dir=$(dirname "$dir"); done
    project=$(compgen -G "$dir/*.csproj" | head -1) || true
    [ -n "$project" ] || { echo "$file belongs to no project" >&2; exit 2; }
    patterns[$project]+=" **/${file#"$dir"/}"
    project_of[$file]=$(basename "$project" .csproj)
  done
  status=0
  for project in "${!patterns[@]}"; do
    name=$(basename "$project" .csproj)
    out="$PWD/artifacts/mutants/$name"
    rm -rf "$out"
    mutate=()
    for pattern in ${patterns[$project]}; do mutate+=(--mutate "$pattern"); done
    echo "Stryker.NET on ${patterns[$project]# } ($name), with the tests matching '$tool_filter'..."
    (cd tests/AssistanceRouter.Tests && dotnet tool run dotnet-stryker -- --project "$name.csproj" "${mutate[@]}" \
      --test-case-filter "$tool_filter" --reporter json --reporter html --reporter dots --output "$out" --skip-version-check) || status=$?
  done
  echo
  # The score as Stryker counts it: killed (or timed out) of those killed, timed out, survived and reached by no test.
  for file in "${tool_args[@]}"; do
    report="artifacts/mutants/${project_of[$file]}/reports/mutation-report.json"
    [ -f "$report" ] || { echo "$file: no report (see above)"; status=1; continue; }
    jq -r --arg file "$file" '
      .files | to_entries[] | select(.key | endswith("/" + $file) or . == $file) | .value.mutants as $m
      | [$m[] | select(.status == "Killed" or .status == "Timeout")] | length as $killed
      | [$m[] | select(.status == "Survived")] | length as $survived
      | [$m[] | select(.status == "NoCoverage")] | length as $uncovered
      | ($killed + $survived + $uncovered) as $valid
      | "\($file): mutation score \(if $valid == 0 then "n/a" else (1000 * $killed / $valid | round / 10 | tostring) + "%" end)"
        + " (\($killed) killed, \($survived) survived, \($uncovered) reached by no test)",
        ($m[] | select(.status == "Survived" or .status == "NoCoverage")
          | "  line \(.location.start.line): \(.status), \(.mutatorName): \(.replacement | gsub("\\s+"; " ") | .[0:100])")' "$report"
  done
  echo "reports: artifacts/mutants/*/reports/mutation-report.html"
  exit "$status"
fi

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
# promtool check metrics, Prometheus' own check of /metrics, runs among the tests.
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing ${missing[*]} (Debian packages)..."
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi
redis-server --version

# The format first: a failure here is quick to see and to mend, and counts as a failed test. Whitespace from the files
# alone, the style rules (the order of usings among them) from the solution; dotnet format's third part, the analyzers,
# is left to the build, which fails on any of their warnings (TreatWarningsAsErrors): 40 s instead of 75 s here.
echo "Checking the format (dotnet format whitespace and style --verify-no-changes)..."
if ! dotnet format whitespace --folder --verify-no-changes || ! dotnet format style AssistanceRouter.sln --verify-no-changes; then
  echo "the code is not formatted as .editorconfig says: run 'dotnet format AssistanceRouter.sln' and commit what it changes" >&2
  echo "tests: 0 passed, 1 failed, 0 skipped"
  exit 1
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet build AssistanceRouter.sln --nologo -v q 2>&1 | tee "$log" || status=$?
# The test processes (the test host and the nodes it starts) JIT without profile-guided instrumentation (tiered PGO
# compiles a hot method three times), run workstation GC and map code without W^X: they start some 150 hosts and live
# minutes; the tiered compiler and server GC were a quarter of their CPU (perf), and a node started in 3.0 s of CPU
# instead of 3.5 s. Speed is not measured here (./bench.sh runs the product as shipped).
[ "$status" -eq 0 ] && DOTNET_TieredPGO=0 DOTNET_gcServer=0 DOTNET_EnableWriteXorExecute=0 \
  dotnet test AssistanceRouter.sln --no-build --nologo ${args[@]+"${args[@]}"} 2>&1 | tee -a "$log" || status=$?

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
# The failed tests' names once more, next to the sum: in a long run they scroll far up, and CI keeps only the end.
grep -E '^[[:space:]]+Failed [A-Za-z]' "$log" | sed -E 's/^[[:space:]]+Failed /failed: /' || true
echo "tests: ${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "$projects" -eq 0 ] || [ "$passed" -eq 0 ]; then
  echo "no test ran" >&2
  exit 1
fi
[ "$failed" -eq 0 ] || exit 1
exit "$status"
