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
# The systemd unit test runs 'systemd-analyze verify' on deploy/systemd/pop3gw.service.
packages[systemd-analyze]=systemd
# An admin call from a clock far off is refused: the CLI runs under faketime.
packages[faketime]=faketime
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

# >>> LDAP and migrated hashes: slapd and slapadd (OpenLDAP, started by the tests on loopback), doveadm (makes Dovecot hashes) >>>
ldap_missing=()
command -v slapd >/dev/null 2>&1 || ldap_missing+=(slapd)
command -v ldapsearch >/dev/null 2>&1 || ldap_missing+=(ldap-utils)
command -v doveadm >/dev/null 2>&1 || ldap_missing+=(dovecot-core)
# Dovecot's POP3 server serves an exported Maildir in ExportTests.
[ -e /usr/lib/dovecot/pop3 ] || ldap_missing+=(dovecot-pop3d)
if [ ${#ldap_missing[@]} -gt 0 ] && [ "$(id -u)" -ne 0 ]; then
  echo "warning: missing ${ldap_missing[*]}; run as root to install them (the LDAP and Dovecot-hash tests will fail)"
elif [ ${#ldap_missing[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${ldap_missing[*]}"
  # The package lists may be stale on a fresh machine: one update, then one more try.
  for try in install update-and-install; do
    [ "$try" = install ] || apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${ldap_missing[@]}" >/dev/null 2>&1 && break
    [ "$try" = install ] || echo "warning: apt-get install failed for: ${ldap_missing[*]}"
  done
  # The package starts a system slapd; the tests run their own on loopback, so that one is stopped again.
  { command -v service >/dev/null 2>&1 && service slapd stop >/dev/null 2>&1; } || true
fi
# <<< LDAP and migrated hashes <<<

# >>> Azure storage profile: Azurite (npm, into the git-ignored .tools/azurite) >>>
# shellcheck source=azurite.sh
source tests/azurite.sh
azurite_installed=1
azurite_install || { echo "error: azurite@$AZURITE_VERSION could not be installed (the Azure-profile tests will fail)"; azurite_installed=0; }
export POP3GW_TEST_AZURITE="$AZURITE_BIN"
trap azurite_stop EXIT
# <<< Azure storage profile <<<

# >>> Deploy tests: kubectl renders the kustomize overlays (tests/Pop3Gateway.Deploy.Tests) >>>
# A fresh Debian machine has no kubectl: Debian's kubernetes-client brings kubectl 1.20 (kustomize v2.0.3).
if ! command -v kubectl >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "Installing Debian packages: kubernetes-client"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq --no-install-recommends kubernetes-client >/dev/null 2>&1 \
      || { apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends kubernetes-client >/dev/null; } \
      || echo "warning: apt-get install failed for: kubernetes-client"
  else
    echo "warning: missing kubectl; run as root to install kubernetes-client (the deploy tests will fail)"
  fi
fi
# Where a newer kubectl is installed, the manifests must still render with that old kustomize:
# unpack Debian's kubectl into the git-ignored .tools/ (never on PATH) and render with both.
legacy_kubectl="$root/.tools/kubernetes-client/usr/bin/kubectl"
if [ ! -x "$legacy_kubectl" ] && ! kubectl version --client 2>/dev/null | grep -q 'v1\.20\.'; then
  unpack_legacy_kubectl() {
    local tmp rc
    tmp=$(mktemp -d)
    ( cd "$tmp" && { apt-get download kubernetes-client >/dev/null 2>&1 \
        || { [ "$(id -u)" -eq 0 ] && apt-get update -qq >/dev/null && apt-get download kubernetes-client >/dev/null 2>&1; }; } \
      && mkdir -p "$root/.tools/kubernetes-client" && dpkg -x kubernetes-client_*.deb "$root/.tools/kubernetes-client" )
    rc=$?
    rm -rf "$tmp"
    return $rc
  }
  unpack_legacy_kubectl || echo "warning: could not unpack Debian's kubernetes-client; the overlays are rendered with the kubectl on PATH only"
fi
[ -x "$legacy_kubectl" ] && export POP3GW_TEST_KUBECTL_LEGACY="$legacy_kubectl"
# <<< Deploy tests <<<

echo "Building..."
if ! dotnet build Pop3Gateway.sln -c Release -nologo -v quiet -clp:ErrorsOnly; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

# Adds the counts of one trx file to the totals; a missing file or a run of no test is a failure.
tally() {
  local name=$1 trx=$2
  if [ ! -f "$trx" ]; then
    echo "$name: no results (test host crashed?)"
    failed=$((failed + 1))
    status=1
    return
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
}

passed=0
failed=0
status=0
# Test projects only: tests/Pop3Gateway.Testing (their shared support library) does not match.
for project in tests/*/*.Tests.csproj; do
  name=$(basename "$project" .csproj)
  # The local-cluster failure tests run once, in their own block below.
  [ "$name" = Pop3Gateway.Cluster.Tests ] && continue
  echo "== $name"
  dotnet test "$project" -c Release --no-build -nologo \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" \
    --results-directory "$results" 2>&1 | grep -E '^\s+(Failed|Passed) |^(Passed|Failed)!|Total tests|error' | grep -v '^\s*Passed ' || true
  tally "$name" "$results/$name.trx"
done

# >>> Azure storage profile: the end-to-end suite again, on Azure storage (Azurite) >>>
# The outage tests start an Azurite of their own, so the first pass ran them already.
echo "== Pop3Gateway.Integration.Tests on the Azure profile"
if [ "$azurite_installed" -eq 1 ] && azurite_start; then
  POP3GW_TEST_STORAGE=Azure POP3GW_TEST_AZURE_CONNECTION="$AZURITE_CONNECTION" \
    dotnet test tests/Pop3Gateway.Integration.Tests/Pop3Gateway.Integration.Tests.csproj -c Release --no-build -nologo \
    --filter "FullyQualifiedName!~StorageOutageTests" \
    --logger "trx;LogFileName=Pop3Gateway.Integration.Tests.Azure.trx" --logger "console;verbosity=normal" \
    --results-directory "$results" 2>&1 | grep -E '^\s+(Failed|Passed) |^(Passed|Failed)!|Total tests|error' | grep -v '^\s*Passed ' || true
  azurite_stop
  tally "Pop3Gateway.Integration.Tests (Azure)" "$results/Pop3Gateway.Integration.Tests.Azure.trx"
else
  echo "Azure profile: azurite is not available"
  failed=$((failed + 1))
  status=1
fi
# <<< Azure storage profile <<<

# >>> Local cluster failure tests: deploy/local/cluster.sh (Azurite, 2 silos, 2 front-ends, HAProxy) under load >>>
# Needs haproxy (security block), curl and python3 (packages above), azurite (Azure block). Each scenario
# prints its counts; they are collected in cluster-failures.txt and shown here; the logs of the cluster's
# processes are kept under cluster-logs/.
echo "== Pop3Gateway.Cluster.Tests (local cluster failure tests)"
cluster_report="$results/cluster-failures.txt"
POP3GW_CLUSTER_REPORT="$cluster_report" POP3GW_CLUSTER_LOGS="$results/cluster-logs" \
  dotnet test tests/Pop3Gateway.Cluster.Tests/Pop3Gateway.Cluster.Tests.csproj -c Release --no-build -nologo \
  --logger "trx;LogFileName=Pop3Gateway.Cluster.Tests.trx" --logger "console;verbosity=normal" \
  --results-directory "$results" 2>&1 | grep -E '^\s+(Failed|Passed) |^(Passed|Failed)!|Total tests|error' | grep -v '^\s*Passed ' || true
[ -f "$cluster_report" ] && cat "$cluster_report"
tally "Pop3Gateway.Cluster.Tests" "$results/Pop3Gateway.Cluster.Tests.trx"
# <<< Local cluster failure tests <<<

# Every failed test once more, with the start of its message, so that the end of the output names them.
if [ "$failed" -gt 0 ] && command -v python3 >/dev/null 2>&1; then
  echo "== failed tests"
  python3 - "$results" <<'PY' || true
import glob, os, sys
import xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
for trx in sorted(glob.glob(os.path.join(sys.argv[1], "*.trx"))):
    for result in ET.parse(trx).getroot().iterfind(".//t:UnitTestResult", ns):
        if result.get("outcome") in ("Passed", "NotExecuted"):
            continue
        message = result.findtext("t:Output/t:ErrorInfo/t:Message", default="", namespaces=ns)
        first = " ".join(message.split())[:400]
        print(f"  {os.path.basename(trx)[:-4]}: {result.get('testName')}: {first}")
PY
fi
echo "$passed passed, $failed failed"
exit $status
