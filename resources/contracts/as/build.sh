#!/usr/bin/env bash
# Builds the AssemblyScript NEAR contracts with near-sdk-as 3.2.3 (npm) into ../ft.wasm and
# ../ft-receiver.wasm. near-vm's install script downloads a binary (simulation only, not needed to
# compile), hence --ignore-scripts.
set -euo pipefail
cd "$(dirname "$0")"
[ -d node_modules/near-sdk-as ] || npm install --ignore-scripts --no-audit --no-fund
for contract in ft ft-receiver; do
  (cd "$contract" && ../node_modules/.bin/asb --target release)
  cp "$contract/build/release/$contract.wasm" "../$contract.wasm"
done
ls -l ../ft.wasm ../ft-receiver.wasm
