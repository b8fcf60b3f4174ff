#!/usr/bin/env bash
# Allocations and grain calls per session of pop3gw under one workload, with dotnet-counters
# (the System.Runtime meter: gc allocated bytes) and the process's own /metrics. These depend far
# less on the machine's load than sessions/s. Uses the data a previous 'bench/compare.sh --keep' left behind:
#
#   bench/compare.sh --quick --keep --workloads full,login   # prints "kept /tmp/pop3bench.XXXXXX"
#   bench/alloc-profile.sh /tmp/pop3bench.XXXXXX login 10 [--remote]
#
# --remote: clients from 127.1.0.1/1000 and only 127.0.0.1 trusted, as 'compare.sh --remote', so every login
# pays the throttle's grain calls. Needs dotnet-counters in .tools (git-ignored):
#   dotnet tool install dotnet-counters --tool-path .tools
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
counters="$here/../.tools/dotnet-counters"
work="${1:?usage: bench/alloc-profile.sh WORKDIR login|full [SECONDS] [--remote]}"
workload="${2:?usage: bench/alloc-profile.sh WORKDIR login|full [SECONDS] [--remote]}"
seconds="${3:-10}"
remote="${4:-}"
# shellcheck source=ports.sh
source "$here/ports.sh"
read -r port silo gateway management <<<"$(free_ports 4)"
[[ -x $counters ]] || { echo "no $counters: dotnet tool install dotnet-counters --tool-path .tools" >&2; exit 1; }

ulimit -n "$(ulimit -Hn)"
export POP3GW__Pop3__Address=127.0.0.1 POP3GW__Pop3__Port=$port
export POP3GW__Orleans__SiloPort=$silo POP3GW__Orleans__GatewayPort=$gateway
export POP3GW__Management__Port=$management POP3GW__Pop3__TlsPort=0
export POP3GW__Storage__DataDirectory="$work/ours"
client_args=()
if [[ $remote == --remote ]]; then
  export POP3GW__Security__TrustedNetworks=127.0.0.1/32 POP3GW__Security__AllowCleartextAuth=true
  client_args+=(--sources "127.1.0.1/1000")
fi
source "$here/serve-kept.sh" pop3gw-alloc.log

run() {
  "$work/bench/Pop3Bench" run --ours 127.0.0.1:$port --ours-pid "$pid" --dovecot 127.0.0.1:$port --dovecot-pid "$pid" \
    "${client_args[@]}" --workloads "$workload" --runs 1 --seconds "$1" 2>&1
}
# Grain calls: Orleans' count of application requests (local calls included), over all its series.
grain_calls() {
  curl -s "http://127.0.0.1:$management/metrics" | awk '/^orleans_app_requests_latency_milliseconds_count[ {]/ { s += $2 } END { printf "%.0f\n", s }'
}

run 3 >/dev/null  # warm-up: JIT, grain activations
csv="$work/counters-$workload${remote:+-remote}.csv"
rm -f "$csv"
"$counters" collect -p "$pid" --counters System.Runtime --format csv --refresh-interval 1 -o "$csv" \
  --duration "$(printf '00:00:%02d' $((seconds + 4)))" >/dev/null 2>&1 &
counters_pid=$!
sleep 1
before_calls=$(grain_calls)
out=$(run "$seconds")
after_calls=$(grain_calls)
wait "$counters_pid" 2>/dev/null || true

# Pop3Bench serves both of its targets (both pop3gw here), each after a warm-up: every session it ran counts.
sessions=$(awk -v s="$seconds" '/warm-up/ { for (i = 1; i < NF; i++) if ($(i + 1) == "sessions") n += $i }
  / run [0-9]+ / { for (i = 2; i <= NF; i++) if ($i == "sessions/s,") n += $(i - 1) * s } END { printf "%d", n }' <<<"$out")
# A rate sampled every second: the sum of the samples is the bytes allocated over the run (and its idle edges).
allocated=$(awk -F, '/total_allocated/ { s += $NF } END { printf "%.0f", s }' "$csv")
echo "# pop3gw '$workload'${remote:+ (remote)}, $seconds s, 8 clients"
grep -E "^\| $workload" <<<"$out" || true
awk -v a="$allocated" -v n="$sessions" -v m="$((after_calls - before_calls))" 'BEGIN {
  printf "sessions: %d\nallocated bytes/session: %.0f\ngrain calls/session: %.2f\n", n, a / n, m / n }'
