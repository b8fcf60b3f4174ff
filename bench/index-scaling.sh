#!/usr/bin/env bash
# Mailbox index cost at 1,000, 10,000 and 100,000 messages, on the embedded profile and on the
# Azure profile (against a local Azurite). Not a test: it prints figures. Usage:
#   bench/index-scaling.sh [SIZE...]
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(1000 10000 100000)
# shellcheck source=../tests/azurite.sh
source tests/azurite.sh

dotnet build bench/IndexScaling -c Release -nologo -v quiet -clp:ErrorsOnly
bench=bench/IndexScaling/bin/Release/net10.0/IndexScaling.dll

dotnet "$bench" embedded "${sizes[@]}"
echo
azurite_install
azurite_start
trap azurite_stop EXIT
POP3GW_BENCH_AZURE="$AZURITE_CONNECTION" dotnet "$bench" azure "${sizes[@]}"
