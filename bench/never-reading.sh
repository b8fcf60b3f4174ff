#!/usr/bin/env bash
# Memory of connections that never read: N clients each pipeline a batch of CAPA (whose replies are 25
# times its size) and never read a byte, so every connection holds what the server's buffers allow.
# Reports the server's PSS before and after, per connection. Not a timed test; results go in
# bench/RESULTS.md.
#
#   bench/never-reading.sh [--connections 10000] [--batch 10240] [--pop3gw path/to/pop3gw.dll] [--keep]
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"
connections=10000
batch=10240
pop3gw=""
keep=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --connections) connections="$2"; shift 2 ;;
    --batch) batch="$2"; shift 2 ;;
    --pop3gw) pop3gw="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

work="$(mktemp -d /tmp/pop3gw-never-reading.XXXXXX)"
log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
server=""
cleanup() {
  local status=$?
  if [[ -n "$server" ]]; then
    kill "$server" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$server" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$server" 2>/dev/null || true
  fi
  if [[ $keep -eq 0 ]]; then rm -rf "$work"; else log "kept $work"; fi
  exit $status
}
trap cleanup EXIT INT TERM

if [[ -z "$pop3gw" ]]; then
  log "publishing pop3gw (Release)"
  dotnet publish -c Release -v q -nologo "$repo/src/Pop3Gateway.Host" -o "$work/pop3gw" >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
  pop3gw="$work/pop3gw/pop3gw.dll"
fi

# Each side needs a descriptor per connection, plus room for the runtime.
ulimit -n "$(( connections + 1024 > $(ulimit -Hn) ? $(ulimit -Hn) : connections + 1024 ))"

read -r pop3 silo gateway management lmtp < <(python3 - <<'PY'
import socket
socks = [socket.socket() for _ in range(5)]
for s in socks: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in socks])
PY
)

log "starting pop3gw serve (pop3 $pop3), data in $work/data"
env POP3GW__Pop3__Port="$pop3" POP3GW__Pop3__TlsPort=0 \
    POP3GW__Pop3__LoginTimeout=00:10:00 POP3GW__Pop3__IdleTimeout=00:10:00 \
    POP3GW__Limits__MaxConnections=$(( connections * 2 )) POP3GW__Limits__MaxConnectionsPerIp=$(( connections * 2 )) \
    POP3GW__Orleans__SiloPort="$silo" POP3GW__Orleans__GatewayPort="$gateway" \
    POP3GW__Management__Port="$management" POP3GW__Lmtp__Port="$lmtp" \
    POP3GW__Storage__DataDirectory="$work/data" \
    dotnet "$pop3gw" serve >"$work/server.log" 2>&1 &
server=$!

python3 - "$server" "$pop3" "$connections" "$batch" <<'PY'
import os, socket, sys, time

pid, port, count, batch = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])

def pss_kb():
    with open(f"/proc/{pid}/smaps_rollup") as f:
        for line in f:
            if line.startswith("Pss:"):
                return int(line.split()[1])

def cpu_ticks():
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])

def settle(quiet_ticks=5, window=2.0, limit=300):
    """Waits until the server uses less than quiet_ticks of CPU over a window."""
    deadline = time.time() + limit
    while time.time() < deadline:
        before = cpu_ticks()
        time.sleep(window)
        if cpu_ticks() - before < quiet_ticks:
            return
    print("server never went quiet", file=sys.stderr)

def greeting():
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    try:
        return s.recv(512).startswith(b"+OK")
    finally:
        s.close()

deadline = time.time() + 120
while True:
    try:
        if greeting():
            break
    except OSError:
        pass
    if time.time() > deadline:
        sys.exit("pop3gw did not greet within 120 s")
    time.sleep(0.5)

payload = b"CAPA\r\n" * (batch // 6)
settle()
base = pss_kb()
socks = []
started = time.time()
for i in range(count):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.connect(("127.0.0.1", port))
    s.sendall(payload)
    socks.append(s)
opened = time.time() - started
settle()
held = pss_kb()
# Every connection must still be open (a reset would show up as an error on a zero-length send).
alive = 0
for s in socks:
    try:
        s.send(b"")
        alive += 1
    except OSError:
        pass
print(f"connections           {count} ({alive} still open), each sent {len(payload)} octets of CAPA and read nothing")
print(f"opened in             {opened:.1f} s")
print(f"server PSS before     {base / 1024:.1f} MB")
print(f"server PSS holding    {held / 1024:.1f} MB")
print(f"per connection        {(held - base) / count:.1f} KB")
for s in socks:
    s.close()
PY
