#!/usr/bin/env bash
# CPU profile of pop3gw under the benchmark's 'login' and 'full' workloads, with Linux perf.
# Uses the data a previous 'bench/compare.sh --keep' left behind:
#
#   bench/compare.sh --quick --keep          # prints "kept /tmp/pop3bench.XXXXXX"
#   bench/profile.sh /tmp/pop3bench.XXXXXX   # writes bench/out/profile-{login,full}.txt
#
# pop3gw runs with DOTNET_PerfMapEnabled=1 so that perf can name JIT-compiled methods.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="${1:?usage: bench/profile.sh WORKDIR (kept by compare.sh --keep)}"
seconds="${2:-15}"
# shellcheck source=ports.sh
source "$here/ports.sh"
read -r port silo gateway management <<<"$(free_ports 4)"

if ! command -v perf >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq linux-perf >/dev/null
fi
ulimit -n "$(ulimit -Hn)"
export POP3GW__Pop3__Address=127.0.0.1 POP3GW__Pop3__Port=$port
export POP3GW__Orleans__SiloPort=$silo POP3GW__Orleans__GatewayPort=$gateway
export POP3GW__Management__Port=$management POP3GW__Pop3__TlsPort=0
export POP3GW__Storage__DataDirectory="$work/ours"
export DOTNET_PerfMapEnabled=1
# JIT code in an anonymous mapping (not the W^X double mapping), so perf resolves it through the map file.
export DOTNET_EnableWriteXorExecute=0
source "$here/serve-kept.sh" pop3gw-profile.log
mkdir -p "$here/out"
set +o pipefail  # perf report | head: a closed pipe is expected
for workload in login full; do
  # Both targets are pop3gw here: only its profile matters, the table is not a comparison.
  perf record -F 499 -g -p "$pid" -o "$work/perf-$workload.data" -- sleep $((2 * seconds + 8)) 2>/dev/null &
  perf_pid=$!
  "$work/bench/Pop3Bench" run --ours 127.0.0.1:$port --ours-pid "$pid" --dovecot 127.0.0.1:$port --dovecot-pid "$pid" \
    --workloads "$workload" --runs 1 --seconds "$seconds" >"$work/profile-run-$workload.txt" 2>&1
  wait "$perf_pid"
  {
    echo "# pop3gw under '$workload' (8 clients), perf cpu-clock 499 Hz"
    grep -E "^\| $workload" "$work/profile-run-$workload.txt" || true
    echo
    echo "## Self time by shared object"
    perf report -i "$work/perf-$workload.data" --stdio --no-children --sort dso 2>/dev/null | grep -E "^ +[0-9]" | head -15
    echo
    echo "## Self time by symbol (top 40)"
    perf report -i "$work/perf-$workload.data" --stdio --no-children --sort sym -g none 2>/dev/null | grep -E "^ +[0-9]" | head -40
    echo
    echo "## Inclusive time by symbol (top 60)"
    perf report -i "$work/perf-$workload.data" --stdio --children --sort sym -g none 2>/dev/null | grep -E "^ +[0-9]" | head -60
  } >"$here/out/profile-$workload.txt"
  echo "wrote bench/out/profile-$workload.txt"
done
