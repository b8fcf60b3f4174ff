#!/usr/bin/env bash
# The cost of telemetry: the same pop3gw twice, same data, alternating runs of the full and
# login workloads: once with OpenTelemetry on and no exporter attached (nobody scrapes
# /metrics, no OTLP endpoint), once with Telemetry:Enabled=false. Prints the table.
#
#   bench/telemetry-overhead.sh [--runs N] [--seconds S]
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"
runs=5 seconds=10 accounts=200 messages=20 seed=42
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 1 ;;
  esac
done

log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

work="$(mktemp -d /tmp/pop3telemetry.XXXXXX)"
pids=()
cleanup() {
  local status=$?
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
  exit $status
}
trap cleanup EXIT INT TERM

log "building the load generator and publishing pop3gw (Release)"
dotnet build -c Release -v q -nologo "$here/Pop3Bench" -o "$work/bench" >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
dotnet publish -c Release -v q -nologo "$repo/src/Pop3Gateway.Host" -o "$work/pop3gw" >>"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
dotnet build -c Release -v q -nologo "$here/Pop3Load" -o "$work/load" >>"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
"$work/bench/Pop3Bench" gen --out "$work/data" --seed "$seed" --accounts "$accounts" --messages "$messages" --bigmsg-mb 1 --bigbox 1 >&2

while read -r login; do
  printf 'account\t%s\t%s\n' "$login" "$(grep -m1 "^$login:" "$work/data/passwd" | sed 's/^[^:]*:{PLAIN}//; s/::::::$//')"
done <"$work/data/logins" >"$work/load-accounts.txt"
for dir in "$work"/data/mail/*; do
  [[ $(basename "$dir") == bigbox ]] && continue
  printf 'deliver\t%s' "$(basename "$dir")"; printf '\t%s' "$dir"/*.eml; printf '\n'
done >"$work/load-mail.txt"

# start NAME BASEPORT TELEMETRY: one pop3gw on loopback ports BASEPORT..BASEPORT+3, loaded with the data.
start() {
  local name=$1 base=$2 telemetry=$3
  mkdir -p "$work/$name"
  (
    export POP3GW__Pop3__Address=127.0.0.1 POP3GW__Pop3__Port=$base POP3GW__Pop3__TlsPort=0
    export POP3GW__Orleans__SiloPort=$((base + 1)) POP3GW__Orleans__GatewayPort=$((base + 2))
    export POP3GW__Management__Port=$((base + 3)) POP3GW__Lmtp__Port=$((base + 4))
    export POP3GW__Storage__DataDirectory="$work/$name/data" POP3GW__Telemetry__Enabled=$telemetry
    cd "$work/$name" && exec "$work/pop3gw/pop3gw" serve >"$work/$name/pop3gw.log" 2>&1
  ) &
  local pid=$!
  pids+=("$pid")
  for _ in $(seq 1 120); do
    (exec 3<>/dev/tcp/127.0.0.1/$base) 2>/dev/null && break
    kill -0 "$pid" 2>/dev/null || { cat "$work/$name/pop3gw.log"; exit 1; }
    sleep 0.5
  done
  (
    export POP3GW__Orleans__GatewayPort=$((base + 2)) POP3GW__Storage__DataDirectory="$work/$name/data"
    cd "$work/$name"
    "$work/load/Pop3Load" --parallel 4 <"$work/load-accounts.txt"
    "$work/load/Pop3Load" --parallel 4 <"$work/load-mail.txt"
  ) >&2
  eval "${name}_pid=$pid"
  log "$name: pop3gw on 127.0.0.1:$base (Telemetry:Enabled=$telemetry, pid $pid), data loaded"
}
start on 22110 true
start off 22210 false

log "running full and login: $runs alternating runs of $seconds s each"
"$work/bench/Pop3Bench" run --ours 127.0.0.1:22110 --ours-pid "$on_pid" --ours-name "telemetry on" \
  --dovecot 127.0.0.1:22210 --dovecot-pid "$off_pid" --dovecot-name "telemetry off" \
  --workloads full,login --runs "$runs" --seconds "$seconds" --accounts "$accounts" --messages "$messages"
