#!/usr/bin/env bash
# The benchmark command: installs wrk, redis-server, prometheus-alertmanager, nodejs and npm (Debian) when missing, builds
# Release, starts everything on loopback and prints one table, Alertmanager's and BullMQ's figures beside ours (npm
# installs BullMQ into a temporary folder at each run). Options go to the benchmark:
# --duration 15 --backlog 100000 --connections 64, or --smoke.
set -euo pipefail
cd "$(dirname "$0")"
missing=()
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v prometheus-alertmanager >/dev/null 2>&1 || missing+=(prometheus-alertmanager)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi
dotnet run -c Release --project tests/AssistanceRouter.Bench -- "$@"
