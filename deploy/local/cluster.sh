#!/usr/bin/env bash
# A local Pop3Gateway cluster on loopback, shaped like the Kubernetes deployment:
# Azurite (Azure Storage), two silos, two front-ends and HAProxy in front of the front-ends
# (TCP mode, PROXY protocol v2). See deploy/local/README.md.
#
#   cluster.sh up | down | status | pids | start NAME | cli ARGS...
#
# Environment:
#   CLUSTER_DIR    state, logs and the published build (default <repo>/.cluster)
#   POP3_PORT      POP3 entry point on 127.0.0.1 (default 7110)
#   LMTP_PORT      LMTP entry point on 127.0.0.1 (default 7024)
#   POP3GW_BUILD   a directory holding a built pop3gw.dll to use instead of publishing one
#   UP_TIMEOUT     seconds 'up' waits for the cluster to serve (default 180)
#   POP3GW__*      extra settings for every pop3gw process (written at 'up', reused by 'start')
#   CLUSTER_SETTINGS_<name>  settings for that process alone, one KEY=VALUE a line, winning over the
#                  others (written at 'up'): e.g. CLUSTER_SETTINGS_silo1 with POP3GW__Orleans__GatewayPort=...
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
dir=${CLUSTER_DIR:-$repo/.cluster}
# The entry ports 'up' used are kept, so that later commands need not be given them again.
saved_pop3=7110 saved_lmtp=7024
if [ -f "$dir/entry" ]; then
  read -r saved_pop3 saved_lmtp <"$dir/entry"
fi
pop3_port=${POP3_PORT:-$saved_pop3}
lmtp_port=${LMTP_PORT:-$saved_lmtp}
up_timeout=${UP_TIMEOUT:-180}
# Process names; the role of each is the prefix of its name.
silos=(silo1 silo2)
frontends=(frontend1 frontend2)
names=(azurite "${silos[@]}" "${frontends[@]}" haproxy)
# Orleans cluster identity shared by every process of this cluster.
service_id=pop3gateway
cluster_id=local
# How long a stop waits for a process to exit after SIGTERM: above the host's shutdown budget
# (Shutdown:DrainTimeout, 25 s by default, plus 20 s to leave the cluster).
stop_timeout=60

# shellcheck source=../../tests/azurite.sh
source "$repo/tests/azurite.sh"
case ":$PATH:" in *:/usr/sbin:*) ;; *) export PATH="$PATH:/usr/sbin" ;; esac

die() { echo "cluster: $*" >&2; exit 1; }
say() { echo "cluster: $*"; }

role_of() {
  case $1 in
    silo*) echo silo ;;
    frontend*) echo frontend ;;
    *) echo "$1" ;;
  esac
}

# The PID of NAME when that process is alive and is the one this script started.
alive_pid() {
  local file="$dir/$1.pid" pid
  [ -f "$file" ] || return 1
  pid=$(cat "$file")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  # A recycled PID belongs to some other program: compare the start time recorded at launch.
  [ "$(start_time "$pid")" = "$(cat "$dir/$1.started" 2>/dev/null)" ] || return 1
  echo "$pid"
}

start_time() { awk '{print $22}' "/proc/$1/stat" 2>/dev/null; }

# Prints N loopback ports that are free now, chosen below the kernel's ephemeral range: a process
# started again must get its ports back, and a port in that range may meanwhile be the local end of
# some outgoing connection.
free_ports() {
  python3 - "$1" <<'PY'
import random, socket, sys
low = int(open("/proc/sys/net/ipv4/ip_local_port_range").read().split()[0])
wanted, ports = int(sys.argv[1]), []
while len(ports) < wanted:
    port = random.randint(10000, max(low, 12000) - 1)
    probe = socket.socket()
    try:
        probe.bind(("127.0.0.1", port))
        if port not in ports:
            ports.append(port)
    except OSError:
        pass
    finally:
        probe.close()
print("\n".join(map(str, ports)))
PY
}

# Reads KEY from the saved ports file.
port() { sed -n "s/^$1=//p" "$dir/ports"; }

accepts() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# True when something listens on the loopback port, without connecting (a connection HAProxy would
# forward, and the front-end would log as a client that never spoke).
listening() {
  if command -v ss >/dev/null 2>&1; then
    [ -n "$(ss -Hltn "sport = :$1" 2>/dev/null)" ]
  else
    accepts "$1"
  fi
}

need_haproxy() {
  command -v haproxy >/dev/null 2>&1 && return 0
  if [ "$(id -u)" -eq 0 ]; then
    say "installing haproxy"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends haproxy >/dev/null 2>&1 \
      || { apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends haproxy >/dev/null; } \
      || die "could not install haproxy"
  else
    die "haproxy is missing (apt-get install haproxy)"
  fi
}

# The directory of the pop3gw.dll every process runs: a given build, or one published into the cluster dir.
build_dir() {
  if [ -n "${POP3GW_BUILD:-}" ]; then
    [ -f "$POP3GW_BUILD/pop3gw.dll" ] || die "POP3GW_BUILD=$POP3GW_BUILD holds no pop3gw.dll"
    echo "$POP3GW_BUILD"
  else
    echo "$dir/bin"
  fi
}

publish() {
  [ -n "${POP3GW_BUILD:-}" ] && return 0
  local dll="$dir/bin/pop3gw.dll"
  if [ -f "$dll" ] && [ -z "$(find "$repo/src" "$repo/Directory.Packages.props" "$repo/Directory.Build.props" -newer "$dll" -type f -print -quit)" ]; then
    return 0
  fi
  say "publishing pop3gw (Release) into $dir/bin"
  dotnet publish "$repo/src/Pop3Gateway.Host/Pop3Gateway.Host.csproj" -c Release -o "$dir/bin" -nologo -v quiet -clp:ErrorsOnly >"$dir/publish.log" 2>&1 \
    || { cat "$dir/publish.log" >&2; die "dotnet publish failed"; }
  touch "$dll"
}

# Chooses the private ports once; a re-run and 'start NAME' reuse them.
allocate_ports() {
  [ -f "$dir/ports" ] && return 0
  local -a keys=(azurite_blob azurite_queue azurite_table) ports
  local name key i
  for name in "${silos[@]}" "${frontends[@]}"; do
    for key in pop3 lmtp management silo gateway; do keys+=("${name}_$key"); done
  done
  mapfile -t ports < <(free_ports "${#keys[@]}")
  for i in "${!keys[@]}"; do echo "${keys[$i]}=${ports[$i]}"; done >"$dir/ports.tmp"
  mv "$dir/ports.tmp" "$dir/ports"
}

connection_string() {
  echo "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$AZURITE_KEY;BlobEndpoint=http://127.0.0.1:$(port azurite_blob)/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$(port azurite_queue)/devstoreaccount1;TableEndpoint=http://127.0.0.1:$(port azurite_table)/devstoreaccount1;"
}

# The settings of one pop3gw process, one KEY=VALUE a line (written once, reused by 'start').
write_settings() {
  local name=$1 file="$dir/$1.env"
  [ -f "$file" ] && return 0
  {
    echo "POP3GW__Logging__LogLevel__Polly=Warning"
    echo "DOTNET_NOLOGO=1"
    echo "DOTNET_CLI_TELEMETRY_OPTOUT=1"
    echo "POP3GW__Shutdown__DrainTimeout=00:00:25"
    # Settings given by the caller, e.g. a shorter drain for tests.
    # (By name: a CLUSTER_SETTINGS_<name> value holds lines that start with POP3GW__ too.)
    local key
    while IFS= read -r key; do echo "$key=${!key}"; done < <(compgen -e | grep '^POP3GW__' || true)
    echo "POD_NAME=$name"
    echo "POP3GW__Orleans__ServiceId=$service_id"
    echo "POP3GW__Orleans__ClusterId=$cluster_id"
    echo "POP3GW__Orleans__AdvertisedAddress=127.0.0.1"
    echo "POP3GW__Orleans__SiloPort=$(port "${name}_silo")"
    echo "POP3GW__Orleans__GatewayPort=$(port "${name}_gateway")"
    # The same unless a relay advertised in GatewayPort stands in front of the gateway (CLUSTER_SETTINGS_<name>).
    echo "POP3GW__Orleans__GatewayListenPort=$(port "${name}_gateway")"
    echo "POP3GW__Storage__Provider=Azure"
    echo "POP3GW__Storage__AzureConnectionString=$(connection_string)"
    echo "POP3GW__Storage__DataDirectory=$dir/$name-data"
    echo "POP3GW__Pop3__Address=127.0.0.1"
    echo "POP3GW__Pop3__Port=$(port "${name}_pop3")"
    echo "POP3GW__Pop3__TlsPort=0"
    echo "POP3GW__Lmtp__Address=127.0.0.1"
    echo "POP3GW__Lmtp__Port=$(port "${name}_lmtp")"
    echo "POP3GW__Management__Address=127.0.0.1"
    echo "POP3GW__Management__Port=$(port "${name}_management")"
    # HAProxy on loopback sends PROXY v2 headers; only it is trusted to.
    echo "POP3GW__Network__TrustedProxies=127.0.0.1/32"
    # Mutual TLS between all of them with the cluster CA of 'make_certificates'; 'cli' adds the admin pair.
    echo "POP3GW__Cluster__CaCertificatePath=$dir/pki/cluster/ca.pem"
    echo "POP3GW__Cluster__CertificatePath=$dir/pki/cluster/node.pem"
    echo "POP3GW__Cluster__KeyPath=$dir/pki/cluster/node-key.pem"
    # Last, so that they win: settings for this process alone.
    local own=CLUSTER_SETTINGS_$name
    if [ -n "${!own:-}" ]; then printf '%s\n' "${!own}"; fi
  } >"$file.tmp"
  mv "$file.tmp" "$file"
}

# Sets env_args: the arguments of 'env' that give a process NAME's settings and no other POP3GW__ variable.
settings_of() {
  local -a vars
  mapfile -t vars <"$dir/$1.env"
  env_args=()
  while IFS= read -r key; do env_args+=(-u "$key"); done < <(compgen -e | grep '^POP3GW__' || true)
  env_args+=("${vars[@]}")
}

write_haproxy_config() {
  local file="$dir/haproxy.cfg"
  {
    cat <<EOF
global
  maxconn 4096
  log stdout format short local0 notice

defaults
  mode tcp
  log global
  option tcplog
  timeout connect 3s
  # POP3 sessions idle up to 10 minutes in TRANSACTION (the server's autologout).
  timeout client 11m
  timeout server 11m
  # A connect refused by a dead front-end is retried on the other one.
  retries 2
  option redispatch

frontend pop3
  bind 127.0.0.1:$pop3_port
  default_backend pop3_frontends

frontend lmtp
  bind 127.0.0.1:$lmtp_port
  default_backend lmtp_frontends

backend pop3_frontends
  balance leastconn
  # Readiness from the management port: false at once on SIGTERM (drain), or when the cluster is unreachable.
  option httpchk GET /health/ready
  http-check expect status 200
  default-server inter 1s fastinter 500ms downinter 1s fall 2 rise 2 send-proxy-v2
EOF
    for name in "${frontends[@]}"; do
      echo "  server $name 127.0.0.1:$(port "${name}_pop3") check port $(port "${name}_management")"
    done
    cat <<EOF

# LMTP comes from the MTA inside the network: plain TCP, the LMTP listener takes no PROXY header.
backend lmtp_frontends
  balance leastconn
  option httpchk GET /health/ready
  http-check expect status 200
  default-server inter 1s fastinter 500ms downinter 1s fall 2 rise 2
EOF
    for name in "${frontends[@]}"; do
      echo "  server $name 127.0.0.1:$(port "${name}_lmtp") check port $(port "${name}_management")"
    done
  } >"$file"
  haproxy -c -q -f "$file" >/dev/null || die "haproxy rejects $file"
}

# The 'serve' arguments of a process. CLUSTER_ROLES=combined runs every pop3gw process in the
# combined role (silo and listeners in one), for builds without the split roles.
serve_args() {
  if [ "${CLUSTER_ROLES:-split}" = combined ]; then
    echo "serve --role combined"
  else
    echo "serve --role $(role_of "$1")"
  fi
}

launch() {
  local name=$1 pid
  local log="$dir/$name.log"
  echo "=== $(date -u +%FT%TZ) starting $name" >>"$log"
  case $name in
    azurite)
      mkdir -p "$dir/azurite-data"
      setsid "$AZURITE_BIN" --silent --skipApiVersionCheck --disableTelemetry --location "$dir/azurite-data" \
        --blobHost 127.0.0.1 --blobPort "$(port azurite_blob)" \
        --queueHost 127.0.0.1 --queuePort "$(port azurite_queue)" \
        --tableHost 127.0.0.1 --tablePort "$(port azurite_table)" </dev/null >>"$log" 2>&1 &
      pid=$!
      ;;
    haproxy)
      setsid haproxy -db -f "$dir/haproxy.cfg" </dev/null >>"$log" 2>&1 &
      pid=$!
      ;;
    *)
      local bin
      bin=$(build_dir)
      settings_of "$name"
      # shellcheck disable=SC2046
      (cd "$dir" && exec env "${env_args[@]}" setsid dotnet "$bin/pop3gw.dll" $(serve_args "$name") </dev/null >>"$log" 2>&1) &
      pid=$!
      ;;
  esac
  echo "$pid" >"$dir/$name.pid"
  # The start time stays the same across the exec: it tells this process from a later one with a recycled PID.
  start_time "$pid" >"$dir/$name.started"
}

# HTTP status of a management endpoint of NAME ("000" when it does not answer).
probe() {
  curl -s -o /dev/null -w '%{http_code}' --max-time 3 "http://127.0.0.1:$(port "${1}_management")$2" 2>/dev/null || true
}

# True when NAME serves: Azurite and HAProxy accept connections, pop3gw answers /health/ready with 200.
serving() {
  case $1 in
    azurite) accepts "$(port azurite_blob)" && accepts "$(port azurite_table)" ;;
    haproxy) listening "$pop3_port" && listening "$lmtp_port" ;;
    *) [ "$(probe "$1" /health/ready)" = 200 ] ;;
  esac
}

# The greeting line HAProxy relays from a front-end, or nothing.
pop3_greeting() {
  local line=""
  { exec 3<>"/dev/tcp/127.0.0.1/$pop3_port"; } 2>/dev/null || return 0
  read -r -t 10 line <&3 || true
  printf 'QUIT\r\n' >&3 2>/dev/null || true
  exec 3>&- 3<&-
  echo "${line%$'\r'}"
}

deadline_passed() { [ "$(date +%s)" -ge "$1" ]; }

fail_start() {
  local name=$1 why=$2
  echo "cluster: $name $why; last lines of $dir/$name.log:" >&2
  tail -n 25 "$dir/$name.log" >&2 || true
  exit 1
}

# Starts NAME unless it runs.
ensure() {
  local name=$1
  if alive_pid "$name" >/dev/null; then
    return 0
  fi
  launch "$name"
}

await_serving() {
  local name=$1 deadline=$2
  until serving "$name"; do
    alive_pid "$name" >/dev/null || fail_start "$name" "exited while starting"
    deadline_passed "$deadline" && fail_start "$name" "did not become ready within ${up_timeout} s"
    sleep 0.5
  done
}

run_cli() {
  settings_of silo1
  env "${env_args[@]}" \
    POP3GW__Cluster__AdminCertificatePath="$dir/pki/cluster/admin.pem" POP3GW__Cluster__AdminKeyPath="$dir/pki/cluster/admin-key.pem" \
    dotnet "$(build_dir)/pop3gw.dll" "$@"
}

# The cluster CA with the node and admin certificates (once; 'up' again keeps them).
make_certificates() {
  [ -f "$dir/pki/cluster/ca.pem" ] && return 0
  dotnet "$(build_dir)/pop3gw.dll" cert cluster --data "$dir/pki" >/dev/null || die "pop3gw cert cluster failed"
}

cmd_up() {
  mkdir -p "$dir"
  need_haproxy
  azurite_install >/dev/null || die "azurite@$AZURITE_VERSION could not be installed"
  publish
  allocate_ports
  make_certificates
  echo "$pop3_port $lmtp_port" >"$dir/entry"
  for name in "${silos[@]}" "${frontends[@]}"; do write_settings "$name"; done
  write_haproxy_config
  local deadline=$(($(date +%s) + up_timeout)) name
  ensure azurite; await_serving azurite "$deadline"
  # Front-ends are Orleans clients: they need a silo's gateway in the membership table first.
  for name in "${silos[@]}"; do ensure "$name"; done
  for name in "${silos[@]}"; do await_serving "$name" "$deadline"; done
  for name in "${frontends[@]}"; do ensure "$name"; done
  for name in "${frontends[@]}"; do await_serving "$name" "$deadline"; done
  ensure haproxy; await_serving haproxy "$deadline"
  local greeting=""
  until [[ $greeting == +OK* ]]; do
    deadline_passed "$deadline" && die "no POP3 greeting through HAProxy on 127.0.0.1:$pop3_port within ${up_timeout} s (got '$greeting'); see $dir/*.log"
    greeting=$(pop3_greeting)
    [[ $greeting == +OK* ]] || sleep 0.5
  done
  local out
  until out=$(run_cli account list 2>&1); do
    deadline_passed "$deadline" && die "'pop3gw account list' against the cluster failed: $out"
    sleep 1
  done
  say "up: POP3 127.0.0.1:$pop3_port, LMTP 127.0.0.1:$lmtp_port (state in $dir)"
}

# SIGTERM, then SIGKILL after the timeout. Prints nothing when NAME is not running.
stop_one() {
  local name=$1 pid
  pid=$(alive_pid "$name") || { rm -f "$dir/$name.pid"; return 0; }
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$(($(date +%s) + stop_timeout))
  while kill -0 "$pid" 2>/dev/null; do
    if deadline_passed "$deadline"; then
      say "$name ($pid) did not exit within ${stop_timeout} s of SIGTERM; killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    sleep 0.2
  done
  rm -f "$dir/$name.pid"
  say "stopped $name ($pid)"
}

cmd_down() {
  [ -d "$dir" ] || return 0
  stop_one haproxy
  # Each tier stops in parallel: front-ends drain, then silos leave, then storage goes.
  local name
  for name in "${frontends[@]}"; do stop_one "$name" & done; wait
  for name in "${silos[@]}"; do stop_one "$name" & done; wait
  stop_one azurite
}

cmd_status() {
  [ -d "$dir" ] || { echo "no cluster in $dir"; return 0; }
  printf '%-9s %-10s %-8s %-6s %s\n' ROLE NAME PID STATE READY
  local name pid state ready
  for name in "${names[@]}"; do
    if pid=$(alive_pid "$name"); then
      state=alive
      if [ -f "$dir/ports" ] && serving "$name"; then ready=yes; else ready=no; fi
    else
      pid=- state=dead ready=-
    fi
    printf '%-9s %-10s %-8s %-6s %s\n' "$(role_of "$name")" "$name" "$pid" "$state" "$ready"
  done
  echo "POP3 127.0.0.1:$pop3_port  LMTP 127.0.0.1:$lmtp_port  logs $dir/*.log"
}

cmd_pids() {
  [ -d "$dir" ] || return 0
  local name pid
  for name in "${names[@]}"; do
    pid=$(alive_pid "$name") && echo "$(role_of "$name") $name $pid"
  done
  return 0
}

known() {
  local name
  for name in "${names[@]}"; do [ "$name" = "$1" ] && return 0; done
  die "unknown process '$1' (one of: ${names[*]})"
}

cmd_start() {
  known "$1"
  [ -f "$dir/ports" ] || die "no cluster in $dir; run 'up' first"
  if pid=$(alive_pid "$1"); then
    say "$1 is running ($pid)"
    return 0
  fi
  launch "$1"
  await_serving "$1" $(($(date +%s) + up_timeout))
  say "started $1 ($(alive_pid "$1"))"
}

cmd_stop() {
  known "$1"
  stop_one "$1"
}

usage() {
  echo "usage: $0 up | down | status | pids | start NAME | stop NAME | cli ARGS..." >&2
  exit 2
}

case ${1:-} in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  pids) cmd_pids ;;
  start) [ $# -eq 2 ] || usage; cmd_start "$2" ;;
  stop) [ $# -eq 2 ] || usage; cmd_stop "$2" ;;
  cli) shift; [ -f "$dir/silo1.env" ] || die "no cluster in $dir; run 'up' first"; run_cli "$@" ;;
  *) usage ;;
esac
