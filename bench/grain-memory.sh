#!/usr/bin/env bash
# Silo memory per activated idle mailbox grain (20 messages) with its account grain, and a login
# storm after a silo restart, cold (every login pays PBKDF2 through the bounded hashing line) and
# warm (verified-password cache). Not a test: it prints figures. Usage:
#   bench/grain-memory.sh [MAILBOXES [STORM [MESSAGES]]]     (default 10000 10000 20)
# A cold storm costs about 50 ms of CPU per login: 10,000 logins take some 250 s on 2 idle cores.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build bench/GrainMemory -c Release -nologo -v quiet -clp:ErrorsOnly
dotnet bench/GrainMemory/bin/Release/net10.0/GrainMemory.dll "$@"
