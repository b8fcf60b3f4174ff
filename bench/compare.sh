#!/usr/bin/env bash
# Side-by-side POP3 benchmark: Pop3Gateway against Dovecot on this machine, same data,
# same workloads, alternating runs. Prints the table (and writes it to bench/out/results.md).
#
#   bench/compare.sh            full run (about 12-15 minutes)
#   bench/compare.sh --quick    short runs, 3,000 idle sessions, small bigbox (about 5 minutes)
#
# Options: --runs N  --seconds S  --idle-sessions N  --bigbox N  --bigbox-budget SECONDS
#          --workloads full,login,idle,bigmsg,bigbox  --keep (leave the temporary directory)
#          --idle-accounts N  (N more accounts without mail, so that 200+N logged-in idle sessions
#                              can be held: pop3gw allows one session per mailbox)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"

runs=3 seconds=10 idle_sessions=15000 bigbox=100000 bigbox_budget=150 workloads="full,login,idle,bigmsg,bigbox" keep=0 idle_accounts=0
seed=42 accounts=200 messages=20 bigmsg_mb=100
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) runs=2 seconds=5 idle_sessions=3000 bigbox=100000 bigbox_budget=45; shift ;;
    --runs) runs="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --idle-sessions) idle_sessions="$2"; shift 2 ;;
    --bigbox) bigbox="$2"; shift 2 ;;
    --bigbox-budget) bigbox_budget="$2"; shift 2 ;;
    --workloads) workloads="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    --idle-accounts) idle_accounts="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 1 ;;
  esac
done

# Loopback ports used only by this script.
ours_pop3=21110 ours_silo=21111 ours_gateway=21112 dovecot_pop3=21210

# Runs a step in the background and waits, so that a signal reaches the trap at once.
background() { "$@" & local pid=$!; wait "$pid"; }
background_in() { local input="$1"; shift; "$@" <"$input" & local pid=$!; wait "$pid"; }

log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

# --- Dovecot from Debian, if missing -------------------------------------------------------
if ! command -v dovecot >/dev/null || ! [[ -e /usr/lib/dovecot/pop3 ]]; then
  if [[ $(id -u) -ne 0 ]]; then echo "dovecot-pop3d is missing; run as root to install it" >&2; exit 1; fi
  log "installing dovecot-core dovecot-pop3d"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dovecot-core dovecot-pop3d >/dev/null
fi
# The package may have started the system service; this benchmark uses its own instance only.

# Many sessions need many descriptors, for both servers and the load generator.
ulimit -n "$(ulimit -Hn)"

work="$(mktemp -d /tmp/pop3bench.XXXXXX)"
chmod 755 "$work"
pids=()
cleanup() {
  local status=$?
  pkill -P $$ 2>/dev/null || true
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
  done
  if [[ $keep -eq 0 ]]; then rm -rf "$work"; else log "kept $work"; fi
  exit $status
}
trap cleanup EXIT INT TERM
log "working directory $work"

# --- Build ---------------------------------------------------------------------------------
log "building the load generator and publishing pop3gw (Release)"
dotnet build -c Release -v q -nologo "$here/Pop3Bench" -o "$work/bench" >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
dotnet publish -c Release -v q -nologo "$repo/src/Pop3Gateway.Host" -o "$work/pop3gw" >>"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
dotnet build -c Release -v q -nologo "$here/Pop3Load" -o "$work/load" >>"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
bench="$work/bench/Pop3Bench"
load="$work/load/Pop3Load"

# --- Data ----------------------------------------------------------------------------------
log "generating data (seed $seed)"
background "$bench" gen --out "$work/data" --seed "$seed" --accounts "$accounts" --messages "$messages" --bigmsg-mb "$bigmsg_mb" --bigbox "$bigbox" --empty-accounts "$idle_accounts" >&2

# --- Pop3Gateway ---------------------------------------------------------------------------
export POP3GW__Pop3__Address=127.0.0.1 POP3GW__Pop3__Port=$ours_pop3
export POP3GW__Orleans__SiloPort=$ours_silo POP3GW__Orleans__GatewayPort=$ours_gateway
export POP3GW__Management__Port=21113 POP3GW__Pop3__TlsPort=0
export POP3GW__Storage__DataDirectory="$work/ours"
# Connection limits raised like Dovecot's below: the idle workload holds 15,000 sessions from 127.0.0.1.
export POP3GW__Limits__MaxConnections=$((idle_sessions + 1000)) POP3GW__Limits__MaxConnectionsPerIp=$((idle_sessions + 1000))
pop3gw="$work/pop3gw/pop3gw"
(cd "$work" && exec "$pop3gw" serve >"$work/pop3gw.log" 2>&1) &
ours_pid=$!
pids+=("$ours_pid")
for _ in $(seq 1 120); do
  if (exec 3<>/dev/tcp/127.0.0.1/$ours_pop3) 2>/dev/null; then break; fi
  kill -0 "$ours_pid" 2>/dev/null || { cat "$work/pop3gw.log"; exit 1; }
  sleep 0.5
done
log "pop3gw serve running (pid $ours_pid)"

# Accounts and mail go in through pop3gw's own command-line code (CommandLine.RunAsync, the
# same 'account add' and 'deliver' commands), many commands per process: see Pop3Load.
started=$SECONDS
# Accounts without mail (--idle-accounts) share one password: one pre-hashed 'account import' for all.
idle_password=Bench-idle-Passw0rd
: >"$work/load-accounts.txt"
idle_logins=()
while IFS=: read -r login password _; do
  password=${password#\{PLAIN\}}
  if [[ $password == "$idle_password" ]]; then idle_logins+=("$login"); continue; fi
  printf 'account\t%s\t%s\n' "$login" "$password" >>"$work/load-accounts.txt"
done <"$work/data/passwd"
if [[ ${#idle_logins[@]} -gt 0 ]]; then
  { printf 'accounts-hashed\t%s' "$idle_password"; printf '\t%s' "${idle_logins[@]}"; printf '\n'; } >>"$work/load-accounts.txt"
fi
for dir in "$work"/data/mail/*; do
  [[ $(basename "$dir") == bigbox ]] && continue
  printf 'deliver\t%s' "$(basename "$dir")"; printf '\t%s' "$dir"/*.eml; printf '\n'
done >"$work/load-mail.txt"
log "creating $(wc -l <"$work/load-accounts.txt") accounts, then delivering their mail ($(wc -l <"$work/load-mail.txt") deliver commands)"
background_in "$work/load-accounts.txt" "$load" --parallel 4
background_in "$work/load-mail.txt" "$load" --parallel 4
log "loaded in $((SECONDS - started)) s"

# bigbox: delivered 1,000 per command until all are in or the time budget is spent; Dovecot gets the same count.
started=$SECONDS
delivered=0
while [[ $delivered -lt $bigbox && $((SECONDS - started)) -lt $bigbox_budget ]]; do
  batch=$(( bigbox - delivered < 1000 ? bigbox - delivered : 1000 ))
  { printf 'deliver\tbigbox'; printf '\t%s' $(ls "$work/data/mail/bigbox" | sort | sed -n "$((delivered + 1)),$((delivered + batch))p" | sed "s|^|$work/data/mail/bigbox/|"); printf '\n'; } >"$work/load-bigbox.txt"
  background_in "$work/load-bigbox.txt" "$load" --parallel 1
  delivered=$((delivered + batch))
done
bigbox_count=$delivered
log "bigbox: delivered $bigbox_count of $bigbox messages in $((SECONDS - started)) s (budget $bigbox_budget s)"

# --- Dovecot -------------------------------------------------------------------------------
dv="$work/dovecot"
mkdir -p "$dv/run" "$dv/state"
background "$bench" maildir --mail "$work/data/mail" --out "$work/maildir" --limit "bigbox=$bigbox_count"
chown -R nobody:nogroup "$work/maildir"
cp "$work/data/passwd" "$dv/passwd"
chmod 644 "$dv/passwd"
cat >"$dv/dovecot.conf" <<CONF
# Private instance for the benchmark: loopback only, no system service, no TLS.
base_dir = $dv/run
state_dir = $dv/state
instance_name = pop3bench
log_path = $dv/dovecot.log
protocols = pop3
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain
mail_location = maildir:$work/maildir/%u
first_valid_uid = 1
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $dv/passwd
}
userdb {
  driver = static
  args = uid=nobody gid=nogroup home=$work/maildir/%u
}
pop3_uidl_format = %08Xu%08Xv
default_process_limit = 20000
default_client_limit = 18000
default_vsz_limit = 0
protocol pop3 {
  mail_max_userip_connections = 100000
}
service pop3-login {
  inet_listener pop3 {
    address = 127.0.0.1
    port = $dovecot_pop3
  }
  # Login processes reused and kept warm: Dovecot's high-performance login mode.
  service_count = 0
  process_min_avail = $(nproc)
  client_limit = 20000
}
service pop3 {
  service_count = 0
  process_min_avail = 8
  process_limit = 20000
}
service auth {
  client_limit = 18000
}
service anvil {
  client_limit = 18000
}
CONF
dovecot -F -c "$dv/dovecot.conf" &
dovecot_pid=$!
pids+=("$dovecot_pid")
for _ in $(seq 1 60); do
  if (exec 3<>/dev/tcp/127.0.0.1/$dovecot_pop3) 2>/dev/null; then break; fi
  kill -0 "$dovecot_pid" 2>/dev/null || { cat "$dv/dovecot.log"; exit 1; }
  sleep 0.5
done
log "dovecot running (master pid $dovecot_pid), $(dovecot --version)"

# --- Run -----------------------------------------------------------------------------------
mkdir -p "$here/out"
log "running: workloads $workloads, $runs runs, $seconds s each, idle $idle_sessions sessions, bigbox $bigbox_count"
background "$bench" run --ours "127.0.0.1:$ours_pop3" --ours-pid "$ours_pid" --dovecot "127.0.0.1:$dovecot_pop3" --dovecot-pid "$dovecot_pid" \
  --workloads "$workloads" --runs "$runs" --seconds "$seconds" --accounts "$accounts" --messages "$messages" \
  --idle-sessions "$idle_sessions" --idle-logged-in "$((accounts + idle_accounts))" --bigbox-count "$bigbox_count" \
  --markdown "$here/out/results.md"
log "table written to bench/out/results.md"
