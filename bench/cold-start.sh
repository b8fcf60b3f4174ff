#!/usr/bin/env bash
# Cold start of pop3gw builds side by side, without Dovecot: for each workload and each published build
# given, starts `pop3gw serve` on the data a previous 'bench/compare.sh --keep' left behind, runs
# 'Pop3Bench cold' (logs in until it can, timed from the process start, then the workload for 10 s at once),
# then the same 10 s again on the now warm process, and stops it. Prints one line per run.
#
#   bench/compare.sh --quick --keep --workloads login        # prints "kept /tmp/pop3bench.XXXXXX"
#   dotnet publish src/Pop3Gateway.Host -c Release -o /tmp/jit/pop3gw
#   dotnet publish src/Pop3Gateway.Host -c Release -r linux-x64 --self-contained false -o /tmp/r2r/pop3gw
#   bench/cold-start.sh /tmp/pop3bench.XXXXXX /tmp/jit/pop3gw /tmp/r2r/pop3gw
set -uo pipefail
work="${1:?usage: bench/cold-start.sh WORKDIR PUBLISHED_DIR...}"; shift
[[ $# -gt 0 ]] || { echo "usage: bench/cold-start.sh WORKDIR PUBLISHED_DIR..." >&2; exit 1; }
# shellcheck source=ports.sh
source "$(dirname "$0")/ports.sh"
read -r port silo gateway management <<<"$(free_ports 4)"
export POP3GW__Pop3__Address=127.0.0.1 POP3GW__Pop3__Port=$port
export POP3GW__Orleans__SiloPort=$silo POP3GW__Orleans__GatewayPort=$gateway
export POP3GW__Management__Port=$management POP3GW__Pop3__TlsPort=0
export POP3GW__Storage__DataDirectory="$work/ours"
tsv="$work/cold-start.tsv"
cold() { # STARTED_MS WORKLOAD PID: Pop3Bench's summary line, from "first login" on
  "$work/bench/Pop3Bench" cold --target ours --ours 127.0.0.1:$port --ours-pid "$3" --started-ms "$1" --workload "$2" \
    --seconds 10 --accounts 200 --messages 20 --tsv "$tsv" 2>&1 | grep " cold $2 " | sed 's/.*: first login/first login/'
}
for workload in login full; do
  for dir in "$@"; do
    started=$(date +%s%3N)
    (cd "$work" && exec "$dir/pop3gw" serve >"$work/cold-start-serve.log" 2>&1) &
    pid=$!
    first=$(cold "$started" "$workload" $pid)
    warm=$(cold "$(date +%s%3N)" "$workload" $pid | sed 's/.*, then //')
    echo "$dir $workload: $first | next 10 s: $warm | load $(cut -d' ' -f1 /proc/loadavg)"
    kill $pid; wait $pid 2>/dev/null
  done
done
