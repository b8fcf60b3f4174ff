#!/usr/bin/env bash
# Scale figures for one cluster (a benchmark, never a test; it prints figures and writes them to
# bench/out/scale.md):
#   1. accounts: median `pop3gw account add` at 0, ACCOUNTS/10 and ACCOUNTS accounts, provisioning by a
#      pre-hashed `pop3gw account import` (time, accounts/s, storage used), against a real `pop3gw serve`;
#   2. a login storm after a silo restart over STORM mailboxes of 20 messages, cold and warm
#      (bench/GrainMemory; embedded profile only);
#   3. a mailbox of BIGBOX messages: login+STAT, UIDL and LIST, the front-end's bytes per message and the
#      process's peak RSS (bench/IndexScaling).
# Each part runs on the embedded profile and on Azure storage (Azurite), unless --profiles says otherwise.
#
#   bench/scale.sh                         full sizes: 1,000,000 accounts, storm 100,000, bigbox 5,000,000
#   bench/scale.sh --quick                 10,000 accounts, storm 1,000, bigbox 100,000 (a few minutes)
#   options: --accounts N --adds N --storm N --bigbox N --profiles embedded,azure --parts accounts,storm,bigbox --keep
#
# A cold storm costs one PBKDF2 (about 50 ms of CPU) per login: 100,000 logins take some 45 minutes on 2 cores.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"

accounts=1000000 adds=15 storm=100000 bigbox=5000000 profiles=embedded,azure parts=accounts,storm,bigbox keep=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) accounts=10000 storm=1000 bigbox=100000; shift ;;
    --accounts) accounts=$2; shift 2 ;;
    --adds) adds=$2; shift 2 ;;
    --storm) storm=$2; shift 2 ;;
    --bigbox) bigbox=$2; shift 2 ;;
    --profiles) profiles=$2; shift 2 ;;
    --parts) parts=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    *) echo "unknown option $1 (see the head of bench/scale.sh)" >&2; exit 1 ;;
  esac
done
(( accounts >= 10 && adds >= 1 && storm >= 1 && bigbox >= 1 )) || { echo "sizes must be positive (accounts at least 10)" >&2; exit 1; }

work=$(mktemp -d -t pop3gw-scale.XXXXXX)
serve_pid=
cleanup() {
  [[ -n $serve_pid ]] && { kill "$serve_pid" 2>/dev/null || true; wait "$serve_pid" 2>/dev/null || true; }
  azurite_stop 2>/dev/null || true
  if [[ $keep -eq 1 ]]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT INT TERM
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }
mkdir -p "$here/out"
report="$here/out/scale.md"
{
  echo "# bench/scale.sh $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "accounts $accounts, adds $adds per point, storm $storm, bigbox $bigbox; $(nproc) cores; load average at start $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
} >"$report"
out() { echo "$*" | tee -a "$report"; }
has() { [[ ",$1," == *",$2,"* ]]; }

log "publishing pop3gw (Release, ReadyToRun) and building the benchmarks"
rid=linux-$(uname -m | sed 's/x86_64/x64/; s/aarch64/arm64/')
dotnet publish -c Release -v q -nologo "$repo/src/Pop3Gateway.Host" -r "$rid" --self-contained false -o "$work/pop3gw" >"$work/build.log" 2>&1 \
  || { cat "$work/build.log"; exit 1; }
for b in GrainMemory IndexScaling; do
  dotnet build -c Release -v q -nologo "$here/$b" >>"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
done
# shellcheck source=../tests/azurite.sh
source "$repo/tests/azurite.sh"
if has "$profiles" azure; then
  azurite_install >/dev/null
fi

# Loopback ports picked as the test scripts pick Azurite's (free now, below the ephemeral range).
free_port() { azurite_free_port; }

# The settings of one profile's server and CLI (the CLI must see what serve sees).
configure() {
  local profile=$1
  export POP3GW__Pop3__Address=127.0.0.1 POP3GW__Pop3__Port=$(free_port) POP3GW__Pop3__TlsPort=0
  export POP3GW__Lmtp__Port=$(free_port) POP3GW__Management__Port=$(free_port)
  export POP3GW__Orleans__SiloPort=$(free_port) POP3GW__Orleans__GatewayPort=$(free_port)
  export POP3GW__Storage__DataDirectory="$work/$profile/data"
  unset POP3GW__Storage__Provider POP3GW__Storage__AzureConnectionString
  if [[ $profile == azure ]]; then
    export POP3GW__Storage__Provider=Azure POP3GW__Storage__AzureConnectionString="$AZURITE_CONNECTION"
  fi
  mkdir -p "$work/$profile/data"
}

start_serve() {
  (cd "$work/$1" && exec "$work/pop3gw/pop3gw" serve >"$work/$1/serve.log" 2>&1) &
  serve_pid=$!
  for _ in $(seq 1 240); do
    (exec 3<>"/dev/tcp/127.0.0.1/$POP3GW__Pop3__Port") 2>/dev/null && return 0
    kill -0 "$serve_pid" 2>/dev/null || break
    sleep 0.5
  done
  echo "pop3gw serve did not start; its log:" >&2
  tail -20 "$work/$1/serve.log" >&2
  exit 1
}

stop_serve() { kill "$serve_pid" 2>/dev/null || true; wait "$serve_pid" 2>/dev/null || true; serve_pid=; }

cli() { (cd "$work/$profile" && "$work/pop3gw/pop3gw" "$@"); }

# Milliseconds of one command, from process start to exit.
timed_ms() {
  local start end
  start=$(date +%s%N)
  "$@" >/dev/null 2>>"$work/$profile/cli-errors.log" || { echo "failed: $*" >&2; tail -3 "$work/$profile/cli-errors.log" >&2; exit 1; }
  end=$(date +%s%N)
  echo $(((end - start) / 1000000))
}

median() { sort -n | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print int((a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }

# Median ms of `account add` (new logins) and of `account show` (the same process start, connection and one
# grain call, no write): the difference is what the add itself costs the cluster.
add_point() {
  local at=$1 tag=$2 add show i
  add=$(for i in $(seq 1 "$adds"); do
    timed_ms bash -c "printf 'scale-secret\n' | '$work/pop3gw/pop3gw' account add 'add${tag}x$i' --password-stdin"
  done | median)
  show=$(for i in $(seq 1 "$adds"); do timed_ms cli account show "add${tag}x1"; done | median)
  out "| $profile | $at | $add | $show | $((add - show)) |"
}

# CPU seconds (user + system) a process used so far, from /proc/PID/stat.
cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat"; }

# Milliseconds of CPU per account between two CPU-second readings.
per_account() { awk -v a="$1" -v b="$2" -v n="$3" 'BEGIN { printf "%.2f", (b - a) * 1000 / n }'; }

# Storage used: the data directory (embedded) or Azurite's files (azure).
storage_bytes() {
  if [[ $profile == azure ]]; then du -sb "$AZURITE_LOCATION" | cut -f1; else du -sb "$work/$profile/data" | cut -f1; fi
}

# An import file of logins scale0000001... with one ready PBKDF2 hash for all (as a migration would carry).
hash=$(printf 'scale-secret\n' | "$work/pop3gw/pop3gw" account hash --password-stdin)
write_accounts() {
  python3 - "$1" "$2" "$hash" >"$3" <<'PY'
import sys
first, last, hash = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
w = sys.stdout.write
for i in range(first, last):
    w(f"scale{i:07d} {hash}\n")
PY
}

accounts_part() {
  out ""
  out "### Accounts ($profile)"
  out ""
  out "| profile | accounts | account add ms (median) | account show ms (median) | add minus show ms |"
  out "|---|---:|---:|---:|---:|"
  add_point 0 a
  local tenth=$((accounts / 10)) imported=0 step first last file seconds rate
  for step in "$tenth" "$accounts"; do
    first=$imported last=$step file="$work/$profile/accounts-$step.txt"
    write_accounts "$first" "$last" "$file"
    log "$profile: importing accounts $first..$last"
    local start end serve_before serve_after cli_cpu
    serve_before=$(cpu_seconds "$serve_pid")
    start=$(date +%s%N)
    # The CLI's own CPU (user + system) from its rusage, the server's from /proc: neither depends much on the load.
    cli_cpu=$(cd "$work/$profile" && python3 -c '
import resource, subprocess, sys
with open(sys.argv[2], "w") as out, open(sys.argv[3], "w") as err:
    code = subprocess.run(sys.argv[4:], stdout=out, stderr=err).returncode
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{r.ru_utime + r.ru_stime:.2f}")
sys.exit(code)' - "$work/$profile/import-$step.log" "$work/$profile/import-$step.err" "$work/pop3gw/pop3gw" account import "$file") \
      || { echo "account import failed:" >&2; tail -5 "$work/$profile/import-$step.err" >&2; exit 1; }
    end=$(date +%s%N)
    serve_after=$(cpu_seconds "$serve_pid")
    seconds=$(awk -v n="$((end - start))" 'BEGIN { printf "%.1f", n / 1e9 }')
    rate=$(awk -v n="$((last - first))" -v s="$seconds" 'BEGIN { printf "%.0f", n / s }')
    imports+=("| $profile | $first → $last | $seconds | $rate | $(per_account "$serve_before" "$serve_after" $((last - first))) | $(per_account 0 "$cli_cpu" $((last - first))) | $(storage_bytes) | $(awk '/VmRSS/ { print int($2 / 1024) }' "/proc/$serve_pid/status") |")
    imported=$last
    add_point "$step" "$step"
  done
  out ""
  out "| profile | import (pre-hashed) | seconds | accounts/s | serve CPU ms/account | CLI CPU ms/account | storage bytes after | serve RSS MB after |"
  out "|---|---|---:|---:|---:|---:|---:|---:|"
  for line in "${imports[@]}"; do out "$line"; done
  imports=()
}

imports=()
IFS=, read -ra profile_list <<<"$profiles"
for profile in "${profile_list[@]}"; do
  case "$profile" in embedded | azure) ;; *) echo "unknown profile $profile" >&2; exit 1 ;; esac
  if [[ $profile == azure ]]; then azurite_start; fi
  if has "$parts" accounts; then
    configure "$profile"
    log "$profile: starting pop3gw serve"
    start_serve "$profile"
    accounts_part
    stop_serve
  fi
  if has "$parts" bigbox; then
    out ""
    out "### A mailbox of $bigbox messages ($profile)"
    out ""
    log "$profile: IndexScaling $bigbox"
    # Azure: IndexScaling takes the Azurite connection from POP3GW_BENCH_AZURE.
    POP3GW_BENCH_AZURE="${AZURITE_CONNECTION:-UseDevelopmentStorage=true}" dotnet "$here/IndexScaling/bin/Release/net10.0/IndexScaling.dll" "$profile" "$bigbox" 2>&1 | tee -a "$report"
  fi
  if [[ $profile == azure ]]; then azurite_stop; fi
done

if has "$parts" storm && has "$profiles" embedded; then
  out ""
  out "### Login storm after a silo restart (embedded)"
  out ""
  log "GrainMemory $storm $storm 20"
  dotnet "$here/GrainMemory/bin/Release/net10.0/GrainMemory.dll" "$storm" "$storm" 20 2>&1 | tee -a "$report"
fi
out ""
out "load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
log "figures written to bench/out/scale.md"
