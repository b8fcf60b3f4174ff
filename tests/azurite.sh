#!/usr/bin/env bash
# Azurite for tests and benchmarks: install (npm, into the git-ignored .tools/), start, stop.
# Source this file, then:  azurite_install && azurite_start && ... && azurite_stop
# azurite_start sets AZURITE_CONNECTION (a connection string for the free loopback ports it chose).
# Pinned to 3.35.0: later versions need Node 22 and this machine has Node 20.
AZURITE_VERSION=3.35.0
AZURITE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.tools/azurite"
AZURITE_BIN="$AZURITE_ROOT/node_modules/.bin/azurite"
AZURITE_KEY='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='

azurite_install() {
  if [ -x "$AZURITE_BIN" ] && "$AZURITE_BIN" --version 2>/dev/null | grep -qx "$AZURITE_VERSION"; then
    return 0
  fi
  if ! command -v npm >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ]; then
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
    fi
  fi
  if ! command -v npm >/dev/null 2>&1; then
    echo "azurite: npm is missing (install nodejs and npm)" >&2
    return 1
  fi
  mkdir -p "$AZURITE_ROOT"
  echo "Installing azurite@$AZURITE_VERSION into $AZURITE_ROOT"
  npm install --prefix "$AZURITE_ROOT" --no-audit --no-fund --silent "azurite@$AZURITE_VERSION" >/dev/null
}

# A loopback port free now, below the kernel's ephemeral range, where the local end of any outgoing
# connection could take it before Azurite binds it (the tests' own servers pick theirs the same way).
azurite_free_port() {
  python3 -c '
import random, socket
while True:
    port = random.randint(12000, 19999)
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", port))
        print(port)
        break
    except OSError:
        pass
    finally:
        s.close()'
}

# AZURITE_DEBUG_LOG=FILE: Azurite logs every request it receives there (bench/azure-transactions.sh counts them).
azurite_start() {
  AZURITE_LOCATION=$(mktemp -d -t pop3gw-azurite-XXXXXX)
  AZURITE_BLOB_PORT=$(azurite_free_port)
  AZURITE_QUEUE_PORT=$(azurite_free_port)
  AZURITE_TABLE_PORT=$(azurite_free_port)
  "$AZURITE_BIN" --silent --skipApiVersionCheck --disableTelemetry --location "$AZURITE_LOCATION" \
    --blobHost 127.0.0.1 --blobPort "$AZURITE_BLOB_PORT" \
    --queueHost 127.0.0.1 --queuePort "$AZURITE_QUEUE_PORT" \
    --tableHost 127.0.0.1 --tablePort "$AZURITE_TABLE_PORT" ${AZURITE_DEBUG_LOG:+--debug "$AZURITE_DEBUG_LOG"} \
    >"$AZURITE_LOCATION/azurite.log" 2>&1 &
  AZURITE_PID=$!
  for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$AZURITE_TABLE_PORT") 2>/dev/null && (exec 3<>"/dev/tcp/127.0.0.1/$AZURITE_BLOB_PORT") 2>/dev/null; then
      AZURITE_CONNECTION="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$AZURITE_KEY;BlobEndpoint=http://127.0.0.1:$AZURITE_BLOB_PORT/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$AZURITE_QUEUE_PORT/devstoreaccount1;TableEndpoint=http://127.0.0.1:$AZURITE_TABLE_PORT/devstoreaccount1;"
      export AZURITE_CONNECTION
      return 0
    fi
    sleep 0.1
  done
  echo "azurite did not start; log: $AZURITE_LOCATION/azurite.log" >&2
  return 1
}

azurite_stop() {
  if [ -n "${AZURITE_PID:-}" ]; then
    kill "$AZURITE_PID" 2>/dev/null
    wait "$AZURITE_PID" 2>/dev/null
    AZURITE_PID=
  fi
  [ -n "${AZURITE_LOCATION:-}" ] && rm -rf "$AZURITE_LOCATION"
  return 0
}
