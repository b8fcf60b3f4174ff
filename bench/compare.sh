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
#
# Modes (for the full and login workloads; they combine, and the mode is named above the table):
#   --tls [--tls-key ecdsa|rsa]  implicit TLS (POP3S) on both servers, TLS 1.3, one certificate made here
#                                (ECDSA P-256 by default, or RSA 2048); each client thread reuses one set of
#                                TLS options, so a server that issues session tickets gets resumed handshakes
#   --remote [--remote-addresses N]  clients bind to N source addresses from 127.1.0.1 (default 20000) and
#                                pop3gw trusts only 127.0.0.1/32: every login pays the throttle's grain calls;
#                                the same pop3gw is also run from 127.0.0.1 in the alternation (a note below the table)
#   --topology split             pop3gw as a silo process and a front-end process (cluster mutual TLS);
#                                adds CPU ms/session per role and grain calls/session (silo's /metrics)
#   --cold                       each server restarted before each run: time from process start to the
#                                first login, then the workload at once for --seconds, no warm-up; then the
#                                usual warm runs, in the same table
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"

runs=3 seconds=10 idle_sessions=15000 bigbox=100000 bigbox_budget=150 workloads="full,login,idle,bigmsg,bigbox" keep=0 idle_accounts=0
seed=42 accounts=200 messages=20 bigmsg_mb=100
tls=0 tls_key=ecdsa remote=0 remote_addresses=20000 topology=combined cold=0
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
    --tls) tls=1; shift ;;
    --tls-key) tls_key="$2"; shift 2 ;;
    --remote) remote=1; shift ;;
    --remote-addresses) remote_addresses="$2"; shift 2 ;;
    --topology) topology="$2"; shift 2 ;;
    --cold) cold=1; shift ;;
    *) echo "unknown option $1" >&2; exit 1 ;;
  esac
done

case "$tls_key" in ecdsa | rsa) ;; *) echo "--tls-key is ecdsa or rsa" >&2; exit 1 ;; esac
case "$topology" in combined | split) ;; *) echo "--topology is combined or split" >&2; exit 1 ;; esac
if [[ $remote -eq 1 ]] && { [[ $remote_addresses -lt 1 ]] || [[ $remote_addresses -gt 65000 ]]; }; then
  echo "--remote-addresses is 1 to 65000 (127.1.0.1 onwards, inside 127.0.0.0/8)" >&2; exit 1
fi
if [[ $cold -eq 1 ]]; then
  for w in ${workloads//,/ }; do
    case "$w" in full | login) ;; *) echo "--cold runs the full and login workloads only" >&2; exit 1 ;; esac
  done
fi
mode=""
[[ $tls -eq 1 ]] && mode+="tls ($tls_key, TLS 1.3), "
[[ $remote -eq 1 ]] && mode+="remote ($remote_addresses client addresses from 127.1.0.1), "
[[ $topology == split ]] && mode+="topology split (silo + front-end), "
[[ $cold -eq 1 ]] && mode+="cold (first $seconds s after start) vs warm, "
mode=${mode%, }

# Loopback ports, free when the script starts.
# shellcheck source=ports.sh
source "$(dirname "$0")/ports.sh"
read -r ours_pop3 ours_silo ours_gateway dovecot_pop3 ours_management ours_pop3s ours_frontend_management dovecot_pop3s \
  <<<"$(free_ports 8)"

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
log "building the load generator and publishing pop3gw (Release, ReadyToRun as docs/install.md publishes it)"
rid=linux-$(uname -m | sed 's/x86_64/x64/; s/aarch64/arm64/')
dotnet build -c Release -v q -nologo "$here/Pop3Bench" -o "$work/bench" >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
dotnet publish -c Release -v q -nologo "$repo/src/Pop3Gateway.Host" -r "$rid" --self-contained false -o "$work/pop3gw" >>"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
dotnet build -c Release -v q -nologo "$here/Pop3Load" -o "$work/load" >>"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
bench="$work/bench/Pop3Bench"
load="$work/load/Pop3Load"

# --- Data ----------------------------------------------------------------------------------
log "generating data (seed $seed)"
background "$bench" gen --out "$work/data" --seed "$seed" --accounts "$accounts" --messages "$messages" --bigmsg-mb "$bigmsg_mb" --bigbox "$bigbox" --empty-accounts "$idle_accounts" >&2

# --- Pop3Gateway ---------------------------------------------------------------------------
export POP3GW__Pop3__Address=127.0.0.1 POP3GW__Pop3__Port=$ours_pop3
export POP3GW__Orleans__SiloPort=$ours_silo POP3GW__Orleans__GatewayPort=$ours_gateway
export POP3GW__Management__Port=$ours_management POP3GW__Pop3__TlsPort=0
export POP3GW__Storage__DataDirectory="$work/ours"
# Connection limits raised like Dovecot's below: the idle workload holds 15,000 sessions from 127.0.0.1.
export POP3GW__Limits__MaxConnections=$((idle_sessions + 1000)) POP3GW__Limits__MaxConnectionsPerIp=$((idle_sessions + 1000))
client_args=() load_env=()
if [[ $tls -eq 1 ]]; then
  # One certificate for both servers, for the name the clients ask for (localhost).
  mkdir -p "$work/tls"
  case "$tls_key" in
    ecdsa) key_args=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1) ;;
    rsa) key_args=(-newkey rsa:2048) ;;
  esac
  openssl req -x509 "${key_args[@]}" -nodes -days 2 -subj /CN=localhost -addext subjectAltName=DNS:localhost \
    -keyout "$work/tls/key.pem" -out "$work/tls/cert.pem" 2>/dev/null
  chmod 644 "$work/tls/key.pem"
  export POP3GW__Pop3__TlsPort=$ours_pop3s POP3GW__Tls__CertificatePath="$work/tls/cert.pem" POP3GW__Tls__KeyPath="$work/tls/key.pem"
  client_args+=(--tls-cert "$work/tls/cert.pem")
fi
if [[ $remote -eq 1 ]]; then
  # Only 127.0.0.1 is trusted, so the clients (127.1.0.1 onwards) get the throttle: a ban check on the
  # address's throttle grain when a connection is accepted. A front-end reuses a verdict for 2 s in 8,192
  # slots; 20,000 addresses in turn come back later than that, so nearly every connection pays the check,
  # as a real client that polls every few minutes does. The throttle's settings stay at their defaults (a
  # ban after 10 failed logins from one address in 10 min, failure delay from 2 s): only failed logins
  # count, and the benchmark's logins all succeed.
  export POP3GW__Security__TrustedNetworks=127.0.0.1/32 POP3GW__Security__AllowCleartextAuth=true
  # The same pop3gw is also driven from 127.0.0.1 (trusted) in the same alternation: the remote target is
  # "within 10 % of plaintext loopback", and that compares best under the same conditions.
  client_args+=(--sources "127.1.0.1/$remote_addresses" --ours-loopback yes)
fi
pop3gw="$work/pop3gw/pop3gw"
ours_roles=() counter_args=()
if [[ $topology == split ]]; then
  # Mutual TLS between the silo, the front-end and the loader, as in deploy/local/cluster.sh.
  "$pop3gw" cert cluster --data "$work/pki" >"$work/cert.log" 2>&1 || { cat "$work/cert.log"; exit 1; }
  export POP3GW__Cluster__CaCertificatePath="$work/pki/cluster/ca.pem" POP3GW__Cluster__CertificatePath="$work/pki/cluster/node.pem" \
    POP3GW__Cluster__KeyPath="$work/pki/cluster/node-key.pem"
  export POP3GW__Orleans__AdvertisedAddress=127.0.0.1
  # The loader adds accounts (an admin call): it gets the admin pair, the servers do not.
  load_env+=(POP3GW__Cluster__AdminCertificatePath="$work/pki/cluster/admin.pem" POP3GW__Cluster__AdminKeyPath="$work/pki/cluster/admin-key.pem")
fi

# Starts pop3gw (both processes when split) and waits until it serves POP3; sets ours_pid (the process
# whose CPU is measured: the front-end's parent shell is not it, so when split both are listed as roles).
start_ours() {
  ours_started_ms=$(date +%s%3N)
  if [[ $topology == split ]]; then
    (cd "$work" && exec "$pop3gw" serve --role silo >>"$work/silo.log" 2>&1) &
    silo_pid=$!
    (cd "$work" && POP3GW__Management__Port=$ours_frontend_management exec "$pop3gw" serve --role frontend >>"$work/pop3gw.log" 2>&1) &
    ours_pid=$!
    pids+=("$silo_pid" "$ours_pid")
    ours_roles=(--ours-role "silo=$silo_pid" --ours-role "frontend=$ours_pid" --ours-metrics "http://127.0.0.1:$ours_management/metrics")
  else
    (cd "$work" && exec "$pop3gw" serve >>"$work/pop3gw.log" 2>&1) &
    ours_pid=$!
    pids+=("$ours_pid")
  fi
  for _ in $(seq 1 240); do
    if (exec 3<>/dev/tcp/127.0.0.1/$ours_pop3) 2>/dev/null; then break; fi
    kill -0 "$ours_pid" 2>/dev/null || { tail -50 "$work/pop3gw.log" "$work/silo.log" 2>/dev/null; exit 1; }
    sleep 0.25
  done
}

# Stops pop3gw and waits for its processes to exit.
stop_ours() {
  local pid
  for pid in "$ours_pid" ${silo_pid:+"$silo_pid"}; do kill "$pid" 2>/dev/null || true; done
  for pid in "$ours_pid" ${silo_pid:+"$silo_pid"}; do
    for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
}

start_ours
log "pop3gw serve running ($topology, pid $ours_pid)"

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
background_in "$work/load-accounts.txt" env "${load_env[@]}" "$load" --parallel 4
background_in "$work/load-mail.txt" env "${load_env[@]}" "$load" --parallel 4
log "loaded in $((SECONDS - started)) s"

# bigbox: delivered 1,000 per command until all are in or the time budget is spent; Dovecot gets the same count.
started=$SECONDS
delivered=0
while [[ $delivered -lt $bigbox && $((SECONDS - started)) -lt $bigbox_budget ]]; do
  batch=$(( bigbox - delivered < 1000 ? bigbox - delivered : 1000 ))
  { printf 'deliver\tbigbox'; printf '\t%s' $(ls "$work/data/mail/bigbox" | sort | sed -n "$((delivered + 1)),$((delivered + batch))p" | sed "s|^|$work/data/mail/bigbox/|"); printf '\n'; } >"$work/load-bigbox.txt"
  background_in "$work/load-bigbox.txt" env "${load_env[@]}" "$load" --parallel 1
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
# --tls: the same certificate as pop3gw's, TLS 1.3 only, on a pop3s listener (ssl = required keeps
# logins off the plaintext one). Dovecot's own settings otherwise, as for pop3gw.
dovecot_ssl=no dovecot_tls=""
if [[ $tls -eq 1 ]]; then
  dovecot_ssl=required
  dovecot_tls="ssl_cert = <$work/tls/cert.pem
ssl_key = <$work/tls/key.pem
ssl_min_protocol = TLSv1.3"
  dovecot_pop3s_listener="inet_listener pop3s {
    address = 127.0.0.1
    port = $dovecot_pop3s
    ssl = yes
  }"
fi
cat >"$dv/dovecot.conf" <<CONF
# Private instance for the benchmark: loopback only, no system service, TLS only with --tls.
base_dir = $dv/run
state_dir = $dv/state
instance_name = pop3bench
log_path = $dv/dovecot.log
protocols = pop3
listen = 127.0.0.1
ssl = $dovecot_ssl
$dovecot_tls
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
  ${dovecot_pop3s_listener:-}
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
start_dovecot() {
  dovecot_started_ms=$(date +%s%3N)
  dovecot -F -c "$dv/dovecot.conf" &
  dovecot_pid=$!
  pids+=("$dovecot_pid")
  for _ in $(seq 1 240); do
    if (exec 3<>/dev/tcp/127.0.0.1/$dovecot_pop3) 2>/dev/null; then break; fi
    kill -0 "$dovecot_pid" 2>/dev/null || { cat "$dv/dovecot.log"; exit 1; }
    sleep 0.25
  done
}

stop_dovecot() {
  kill "$dovecot_pid" 2>/dev/null || true
  for _ in $(seq 1 150); do kill -0 "$dovecot_pid" 2>/dev/null || break; sleep 0.2; done
  kill -9 "$dovecot_pid" 2>/dev/null || true
  wait "$dovecot_pid" 2>/dev/null || true
  # Its login processes hold the listening sockets until they notice the master is gone.
  for _ in $(seq 1 150); do [[ -z $(ss -Hltn "sport = :$dovecot_pop3" 2>/dev/null) ]] && break; sleep 0.2; done
}

start_dovecot
log "dovecot running (master pid $dovecot_pid), $(dovecot --version)"

# --- Run -----------------------------------------------------------------------------------
mkdir -p "$here/out"
ours_endpoint="127.0.0.1:$ours_pop3" dovecot_endpoint="127.0.0.1:$dovecot_pop3"
[[ $tls -eq 1 ]] && ours_endpoint="127.0.0.1:$ours_pop3s" dovecot_endpoint="127.0.0.1:$dovecot_pop3s"
mode_args=()
[[ -n $mode ]] && mode_args=(--mode "$mode")
if [[ $topology == split ]]; then
  # Grain calls from the front-end: Orleans' count of messages the silo's gateway received from its
  # clients (the front-end's cluster client; the loader is idle by then), on the silo's /metrics; else
  # the count of messages received over its connections. Calls between grains inside the silo are not in it.
  curl -s "http://127.0.0.1:$ours_management/metrics" >"$work/silo-metrics.txt" || true
  grain_counter=""
  for name in orleans_gateway_received_total orleans_messaging_received_messages_size_bytes_count; do
    if grep -q "^$name[ {]" "$work/silo-metrics.txt"; then grain_counter=$name; break; fi
  done
  [[ -n $grain_counter ]] || { echo "neither Orleans message counter is on the silo's /metrics" >&2; exit 1; }
  log "grain calls: $grain_counter on the silo's /metrics"
  counter_args=(--grain-counter "$grain_counter")
elif [[ $remote -eq 1 ]]; then
  # Every grain call of the one process, local ones included (alloc-profile.sh counts the same).
  counter_args=(--ours-metrics "http://127.0.0.1:$ours_management/metrics" --grain-counter orleans_app_requests_latency_milliseconds_count)
fi

if [[ $cold -eq 1 ]]; then
  # Cold: before each run each server is restarted; 'cold' logs in until it can (timed from the start of
  # the process), then runs the workload for --seconds at once. Alternating as the warm runs do.
  : >"$work/cold.tsv"
  for r in $(seq 1 "$runs"); do
    for w in ${workloads//,/ }; do
      stop_ours; start_ours
      background "$bench" cold --target ours --ours "$ours_endpoint" --ours-pid "$ours_pid" "${ours_roles[@]}" "${counter_args[@]}" "${client_args[@]}" \
        --started-ms "$ours_started_ms" --workload "$w" --seconds "$seconds" --accounts "$accounts" --messages "$messages" --tsv "$work/cold.tsv"
      stop_dovecot; start_dovecot
      background "$bench" cold --target dovecot --dovecot "$dovecot_endpoint" --dovecot-pid "$dovecot_pid" "${client_args[@]}" \
        --started-ms "$dovecot_started_ms" --workload "$w" --seconds "$seconds" --accounts "$accounts" --messages "$messages" --tsv "$work/cold.tsv"
    done
  done
  mode_args+=(--cold-tsv "$work/cold.tsv")
fi

log "running: workloads $workloads, $runs runs, $seconds s each, idle $idle_sessions sessions, bigbox $bigbox_count${mode:+, mode: $mode}"
background "$bench" run --ours "$ours_endpoint" --ours-pid "$ours_pid" --dovecot "$dovecot_endpoint" --dovecot-pid "$dovecot_pid" \
  "${ours_roles[@]}" "${counter_args[@]}" "${client_args[@]}" "${mode_args[@]}" \
  --workloads "$workloads" --runs "$runs" --seconds "$seconds" --accounts "$accounts" --messages "$messages" \
  --idle-sessions "$idle_sessions" --idle-logged-in "$((accounts + idle_accounts))" --bigbox-count "$bigbox_count" \
  --markdown "$here/out/results.md"
log "table written to bench/out/results.md"
