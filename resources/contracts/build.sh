#!/usr/bin/env bash
# Rebuilds the bundled NEAR contracts (resources/contracts/*.wasm) from resources/contracts/src.
#   resources/contracts/build.sh          rebuild in place
#   resources/contracts/build.sh --check  rebuild into a temp dir, fail if a committed binary differs
# Needs Debian's clang and lld (apt-get install clang lld); the build is deterministic for one
# toolchain version, so --check names the clang that built the committed binaries when it fails.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
src="$here/src"
contracts=(counter nft compute)

mode=build
case "${1:-}" in
  --check) mode=check ;;
  "") ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

if ! command -v clang >/dev/null || ! command -v wasm-ld >/dev/null; then
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    apt-get install -y -q clang lld >/dev/null
  else
    echo "clang and lld are required: apt-get install clang lld" >&2
    exit 1
  fi
fi

# MVP wasm only (no bulk memory, sign-ext, ...), as NEAR's runtime accepts; no libc, no entry.
# --strip-all drops the name and producers sections so the bytes do not depend on build paths;
# --stack-first puts the 64 KiB stack below the data, so a stack overflow traps instead of
# silently overwriting static data.
cflags=(--target=wasm32-unknown-unknown -mcpu=mvp -nostdlib -O2 -ffreestanding -fno-builtin
        -fno-exceptions -Wall -Wextra -Werror -Wno-unused-parameter
        -ffile-prefix-map="$here"=.
        -Wl,--no-entry -Wl,--strip-all -Wl,--gc-sections -Wl,-z,stack-size=65536 -Wl,--stack-first)
lib=("$src/lib/rt.c" "$src/lib/json.c")

out="$here"
if [[ $mode == check ]]; then
  out="$(mktemp -d)"
  trap 'rm -rf "$out"' EXIT
fi

for name in "${contracts[@]}"; do
  extra=()
  [[ $name == compute ]] && extra=("$src/lib/sha256.c")
  clang "${cflags[@]}" -o "$out/$name.wasm" "$src/$name.c" "${lib[@]}" "${extra[@]}"
done

if [[ $mode == check ]]; then
  status=0
  for name in "${contracts[@]}"; do
    if ! cmp -s "$out/$name.wasm" "$here/$name.wasm"; then
      echo "resources/contracts/$name.wasm differs from a rebuild of its source; run resources/contracts/build.sh" >&2
      status=1
    fi
  done
  if [[ $status != 0 ]]; then
    echo "(rebuilt with: $(clang --version | head -1); committed binaries were built with: $(cat "$here/TOOLCHAIN" 2>/dev/null || echo unknown))" >&2
    exit $status
  fi
  echo "bundled contracts match their sources: ${contracts[*]}"
else
  clang --version | head -1 > "$here/TOOLCHAIN"
  for name in "${contracts[@]}"; do
    echo "built resources/contracts/$name.wasm ($(wc -c < "$here/$name.wasm") bytes)"
  done
fi
