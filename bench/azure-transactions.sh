#!/usr/bin/env bash
# Azure Storage transactions of each kind of work (a benchmark, never a test): a real `pop3gw serve` on the Azure
# profile against Azurite, whose debug log records every request it receives. Counts the requests of:
#   - provisioning one account by a pre-hashed `account import` (with one address);
#   - one LMTP delivery of one message to one recipient;
#   - a first login after a restart (USER, PASS, STAT, QUIT: the grains load from storage);
#   - a login on warm grains (the same commands);
#   - a full session on warm grains (USER, PASS, LIST, UIDL, RETR and DELE of every message, QUIT).
# The count is what the gateway asks of storage, whatever the machine's load, so one run suffices. Requests
# Azurite sees while nothing runs (membership heartbeats) are measured first and reported on their own.
#
#   bench/azure-transactions.sh                      50 mailboxes of 10 messages of 4 KB
#   bench/azure-transactions.sh --mailboxes 100 --messages 20 --keep
#
# Writes bench/out/azure-transactions.md.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"

mailboxes=50 messages=10 keep=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --mailboxes) mailboxes=$2; shift 2 ;;
    --messages) messages=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    *) echo "unknown option $1 (see the head of bench/azure-transactions.sh)" >&2; exit 1 ;;
  esac
done
(( mailboxes >= 1 && messages >= 1 )) || { echo "--mailboxes and --messages must be at least 1" >&2; exit 1; }

work=$(mktemp -d -t pop3gw-transactions.XXXXXX)
serve_pid=
cleanup() {
  [[ -n $serve_pid ]] && { kill "$serve_pid" 2>/dev/null || true; wait "$serve_pid" 2>/dev/null || true; }
  azurite_stop 2>/dev/null || true
  if [[ $keep -eq 1 ]]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT INT TERM
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

# shellcheck source=../tests/azurite.sh
source "$repo/tests/azurite.sh"
# shellcheck source=ports.sh
source "$here/ports.sh"
azurite_install >/dev/null
requests="$work/azurite-debug.log"
AZURITE_DEBUG_LOG="$requests" azurite_start

log "publishing pop3gw (Release, ReadyToRun)"
rid=linux-$(uname -m | sed 's/x86_64/x64/; s/aarch64/arm64/')
dotnet publish -c Release -v q -nologo "$repo/src/Pop3Gateway.Host" -r "$rid" --self-contained false -o "$work/pop3gw" >"$work/build.log" 2>&1 \
  || { cat "$work/build.log"; exit 1; }

read -r pop3 lmtp management silo gateway <<<"$(free_ports 5)"
export POP3GW__Pop3__Address=127.0.0.1 POP3GW__Pop3__Port=$pop3 POP3GW__Pop3__TlsPort=0
export POP3GW__Lmtp__Port=$lmtp POP3GW__Management__Port=$management
export POP3GW__Orleans__SiloPort=$silo POP3GW__Orleans__GatewayPort=$gateway
export POP3GW__Security__TrustedNetworks=127.0.0.0/8
export POP3GW__Storage__Provider=Azure POP3GW__Storage__AzureConnectionString="$AZURITE_CONNECTION"
export POP3GW__Storage__DataDirectory="$work/data"
mkdir -p "$work/data"

start_serve() {
  (cd "$work" && exec "$work/pop3gw/pop3gw" serve >>"$work/serve.log" 2>&1) &
  serve_pid=$!
  for _ in $(seq 1 240); do
    (exec 3<>"/dev/tcp/127.0.0.1/$pop3") 2>/dev/null && return 0
    kill -0 "$serve_pid" 2>/dev/null || break
    sleep 0.5
  done
  echo "pop3gw serve did not start; its log:" >&2
  tail -20 "$work/serve.log" >&2
  exit 1
}
stop_serve() { kill "$serve_pid" 2>/dev/null || true; wait "$serve_pid" 2>/dev/null || true; serve_pid=; }

# Requests Azurite logged so far: blob and table.
count() {
  local blob table
  blob=$(grep -c "BlobStorageContextMiddleware: RequestMethod=" "$requests" || true)
  table=$(grep -c "TableStorageContextMiddleware: RequestMethod=" "$requests" || true)
  echo "$blob $table"
}

# Waits until no request arrived for 3 s (the work's last writes have landed; at most 30 s), then prints the count.
settled() {
  local last now same=0 polls=0
  last=$(count)
  while ((same < 6 && polls++ < 60)); do
    sleep 0.5
    now=$(count)
    if [[ $now == "$last" ]]; then same=$((same + 1)); else same=0 last=$now; fi
  done
  echo "$last"
}

# POP3 and LMTP clients: python3's poplib and smtplib.
drive() {
  python3 - "$@" <<'PY'
import poplib, smtplib, sys
kind, port, mailboxes, messages = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
logins = [f"tx{i:05d}" for i in range(mailboxes)]
if kind == "deliver":
    body = ("From: bench@example.test\r\nSubject: transactions\r\n\r\n" + "x" * 76 + "\r\n") * 50
    with smtplib.LMTP("127.0.0.1", port) as lmtp:
        for login in logins:
            for n in range(messages):
                lmtp.sendmail("bench@example.test", [f"{login}@bench.test"], body.replace("transactions", f"m{n}", 1))
    sys.exit()
for login in logins:
    pop = poplib.POP3("127.0.0.1", port, timeout=60)
    pop.user(login)
    pop.pass_("tx-secret")
    count, _ = pop.stat()
    if count != messages:
        sys.exit(f"{login}: STAT says {count} messages, {messages} expected")
    if kind == "full":
        pop.list()
        pop.uidl()
        for n in range(1, count + 1):
            pop.retr(n)
            pop.dele(n)
    pop.quit()
PY
}

report="$here/out/azure-transactions.md"
mkdir -p "$here/out"
rows=()
phase_started=$(date +%s)
# Adds a row: WORK, UNITS, the counts before and after; the seconds since the previous row (or begin).
row() {
  local work=$1 units=$2 before after now
  read -r -a before <<<"$3"
  read -r -a after <<<"$4"
  now=$(date +%s)
  local blob=$((after[0] - before[0])) table=$((after[1] - before[1]))
  rows+=("$(awk -v w="$work" -v u="$units" -v b="$blob" -v t="$table" -v s="$((now - phase_started))" \
    'BEGIN { printf "| %s | %d | %d | %d | %.2f | %.2f | %d |", w, u, b, t, b / u, t / u, s }')")
}
begin() { phase_started=$(date +%s); }

log "starting pop3gw serve on Azurite"
start_serve
base=$(settled)
log "idle for 30 s"
begin
sleep 30
row "idle (one silo), per second" 30 "$base" "$(count)"

hash=$(printf 'tx-secret\n' | "$work/pop3gw/pop3gw" account hash --password-stdin)
for ((i = 0; i < mailboxes; i++)); do printf 'tx%05d %s tx%05d@bench.test\n' "$i" "$hash" "$i"; done >"$work/accounts.txt"
before=$(settled)
begin
log "importing $mailboxes accounts"
(cd "$work" && "$work/pop3gw/pop3gw" account import "$work/accounts.txt" >/dev/null)
row "account import, per account" "$mailboxes" "$before" "$(settled)"

before=$(settled)
begin
log "delivering $messages messages to each mailbox over LMTP"
drive deliver "$lmtp" "$mailboxes" "$messages"
row "LMTP delivery, per message" $((mailboxes * messages)) "$before" "$(settled)"

log "restarting pop3gw serve"
stop_serve
start_serve
before=$(settled)
begin
drive login "$pop3" "$mailboxes" "$messages"
row "first login after a restart (USER PASS STAT QUIT), per session" "$mailboxes" "$before" "$(settled)"

before=$(settled)
begin
drive login "$pop3" "$mailboxes" "$messages"
row "login on warm grains (USER PASS STAT QUIT), per session" "$mailboxes" "$before" "$(settled)"

before=$(settled)
begin
drive full "$pop3" "$mailboxes" "$messages"
row "full session on warm grains ($messages messages: LIST UIDL RETR DELE QUIT), per session" "$mailboxes" "$before" "$(settled)"
stop_serve

{
  echo "# bench/azure-transactions.sh $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "$mailboxes mailboxes, $messages messages of 4 KB each; Azurite $AZURITE_VERSION; requests as Azurite logged them."
  echo
  echo "| work | units | blob requests | table requests | blob per unit | table per unit | seconds (with 3 s settling) |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  printf '%s\n' "${rows[@]}"
} | tee "$report"
