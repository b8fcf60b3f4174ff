#!/usr/bin/env bash
# CPU profile of `pop3gw serve` (embedded profile) while `pop3gw account import` provisions pre-hashed accounts:
# the server's CPU ms per account and perf's top frames (Linux perf, cpu-clock 499 Hz). A benchmark, not a test.
#
#   dotnet build Pop3Gateway.sln -c Release && bench/import-profile.sh [ACCOUNTS]     (default 10,000)
#
# Writes bench/out/import-profile.txt.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
accounts="${1:-10000}"
bin="$here/../src/Pop3Gateway.Host/bin/Release/net10.0"
[[ -f $bin/pop3gw.dll ]] || { echo "build first: dotnet build Pop3Gateway.sln -c Release" >&2; exit 1; }
command -v perf >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq linux-perf >/dev/null
# shellcheck source=ports.sh
source "$here/ports.sh"
work=$(mktemp -d -t pop3gw-import-profile.XXXXXX)
pid=
cleanup() { [[ -n $pid ]] && { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }; rm -rf "$work"; }
trap cleanup EXIT INT TERM
read -r pop3 lmtp management silo gateway <<<"$(free_ports 5)"
export POP3GW__Pop3__Address=127.0.0.1 POP3GW__Pop3__Port=$pop3 POP3GW__Pop3__TlsPort=0 POP3GW__Lmtp__Port=$lmtp
export POP3GW__Management__Port=$management POP3GW__Orleans__SiloPort=$silo POP3GW__Orleans__GatewayPort=$gateway
export POP3GW__Storage__DataDirectory="$work/data"
pop3gw() { (cd "$work" && dotnet "$bin/pop3gw.dll" "$@"); }
(cd "$work" && DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 exec dotnet "$bin/pop3gw.dll" serve >"$work/serve.log" 2>&1) &
pid=$!
for _ in $(seq 1 240); do (exec 3<>"/dev/tcp/127.0.0.1/$pop3") 2>/dev/null && break; sleep 0.5; done
hash=$(printf 'secret\n' | pop3gw account hash --password-stdin)
# 2,000 accounts first, so that the profile shows the steady state, not the JIT.
for i in $(seq 1 2000); do printf 'warm%07d %s\n' "$i" "$hash"; done >"$work/warm.txt"
pop3gw account import "$work/warm.txt" >/dev/null
for i in $(seq 1 "$accounts"); do printf 'prof%07d %s\n' "$i" "$hash"; done >"$work/accounts.txt"
perf record -F 499 -g -p "$pid" -o "$work/perf.data" 2>/dev/null &
perf_pid=$!
cpu() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%d", ($14 + $15) * 1000 / hz }' "/proc/$pid/stat"; }
cpu0=$(cpu) t0=$(date +%s%N)
pop3gw account import "$work/accounts.txt" >/dev/null
t1=$(date +%s%N) cpu1=$(cpu)
kill -INT "$perf_pid"; wait "$perf_pid" || true
mkdir -p "$here/out"
set +o pipefail  # perf report | head: a closed pipe is expected
{
  echo "# pop3gw serve during 'account import' of $accounts pre-hashed accounts, embedded store"
  echo "$(date -u +%Y-%m-%dT%H:%MZ); load average $(cut -d' ' -f1-3 /proc/loadavg)"
  awk -v ms=$(((t1 - t0) / 1000000)) -v c=$((cpu1 - cpu0)) -v n="$accounts" \
    'BEGIN { printf "import %d ms (%.0f accounts/s); serve CPU %d ms, %.2f ms per account\n", ms, n * 1000 / ms, c, c / n }'
  echo
  echo "## Self time by shared object"
  perf report -i "$work/perf.data" --stdio --no-children --sort dso 2>/dev/null | grep -E "^ +[0-9]" | head -10
  echo
  echo "## Inclusive time by symbol (top 60, managed and libc)"
  perf report -i "$work/perf.data" --stdio --children --sort sym -g none 2>/dev/null | grep -E "^ +[0-9]" | grep -v "\] 0x0000" | head -60
} >"$here/out/import-profile.txt"
head -3 "$here/out/import-profile.txt" | tail -1
echo "wrote bench/out/import-profile.txt"
