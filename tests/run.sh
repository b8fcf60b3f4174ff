#!/usr/bin/env bash
# Builds Pop3Gateway and runs every test project. Installs what a fresh machine lacks
# (Debian packages when run as root; NuGet packages through restore). Ends with the line
# "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
results="$root/artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

# Debian packages the end-to-end tests drive: command -> package.
declare -A packages=(
  [fetchmail]=fetchmail
  [mpop]=mpop
  [getmail]=getmail6
  [curl]=curl
  [python3]=python3
  [chromium]=chromium
)
# LMTP end-to-end tests: swaks as the MTA, and a private Postfix (postfix -c DIR) in front.
packages[swaks]=swaks
packages[postfix]=postfix
if ! command -v postfix >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
  # Install without configuring a system mail server: the tests start their own instance on loopback.
  echo 'postfix postfix/main_mailer_type select No configuration' | debconf-set-selections
fi
missing=()
for cmd in "${!packages[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || missing+=("${packages[$cmd]}")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "Installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
      || echo "warning: apt-get install failed for: ${missing[*]}"
  else
    echo "warning: missing ${missing[*]}; run as root to install them (the tests that need them will fail)"
  fi
fi

# --- security tests (TLS, PROXY protocol): HAProxy in front of the server, openssl s_client.
security_missing=()
command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ] || security_missing+=(haproxy)
command -v openssl >/dev/null 2>&1 || security_missing+=(openssl)
if [ ${#security_missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "Installing Debian packages: ${security_missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq --no-install-recommends "${security_missing[@]}" >/dev/null 2>&1 \
      || { apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "${security_missing[@]}" >/dev/null; } \
      || echo "warning: apt-get install failed for: ${security_missing[*]}"
  else
    echo "warning: missing ${security_missing[*]}; run as root to install them (the tests that need them will fail)"
  fi
fi
# haproxy lives in /usr/sbin, which a non-login PATH may lack.
case ":$PATH:" in *:/usr/sbin:*) ;; *) export PATH="$PATH:/usr/sbin" ;; esac
# --- end of security block

echo "Building..."
if ! dotnet build Pop3Gateway.sln -c Release -nologo -v quiet -clp:ErrorsOnly; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

passed=0
failed=0
status=0
for project in tests/*/*.Tests.csproj; do
  name=$(basename "$project" .csproj)
  echo "== $name"
  dotnet test "$project" -c Release --no-build -nologo \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" \
    --results-directory "$results" 2>&1 | grep -E '^\s+(Failed|Passed) |^(Passed|Failed)!|Total tests|error' | grep -v '^\s*Passed ' || true
  trx="$results/$name.trx"
  if [ ! -f "$trx" ]; then
    echo "$name: no results (test host crashed?)"
    failed=$((failed + 1))
    status=1
    continue
  fi
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  t=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters")
  e=$(sed -n 's/.* executed="\([0-9]*\)".*/\1/p' <<<"$counters")
  p=${p:-0}; f=${f:-0}; t=${t:-0}; e=${e:-0}
  # Tests that did not execute (aborted, not run) count as failures.
  notrun=$((t - e))
  [ "$notrun" -gt 0 ] && f=$((f + notrun))
  if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
    echo "$name: ran no test"
    f=1
  fi
  passed=$((passed + p))
  failed=$((failed + f))
  [ "$f" -gt 0 ] && status=1
done

echo "$passed passed, $failed failed"
exit $status
