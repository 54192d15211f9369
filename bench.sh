#!/usr/bin/env bash
# The benchmark command: installs wrk, redis-server and prometheus-alertmanager (Debian) when missing, builds Release,
# starts everything on loopback and prints one table, Alertmanager's figure beside ours. Options go to the benchmark:
# --duration 15 --backlog 100000 --connections 64, or --smoke.
set -euo pipefail
cd "$(dirname "$0")"
missing=()
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v prometheus-alertmanager >/dev/null 2>&1 || missing+=(prometheus-alertmanager)
if [ ${#missing[@]} -gt 0 ]; then
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi
dotnet run -c Release --project tests/AssistanceRouter.Bench -- "$@"
