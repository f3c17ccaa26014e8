#!/usr/bin/env bash
# Rebuilds the test contracts' .wasm from their .wat with wabt's wat2wasm (Debian: apt-get install wabt).
# WatBinariesTest (mvn verify; tag needs-wat2wasm) rebuilds them the same way and fails if one differs.
set -euo pipefail
cd "$(dirname "$0")"
for wat in *.wat; do
  wat2wasm "$wat" -o "${wat%.wat}.wasm"
done
