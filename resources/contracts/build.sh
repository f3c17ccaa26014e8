#!/usr/bin/env bash
# Rebuilds the bundled NEAR contracts (resources/contracts/*.wasm) from resources/contracts/src.
#   resources/contracts/build.sh            rebuild in place (and record the toolchain in TOOLCHAIN)
#   resources/contracts/build.sh --out DIR  rebuild into DIR (test it: node resources/contracts/test/run.mjs DIR)
#   resources/contracts/build.sh --check    rebuild into a temp dir, fail if a committed binary differs
# Needs Debian 12's clang-14, lld-14 and binaryen (apt-get install clang-14 lld-14 binaryen).
# The bytes are reproducible for the toolchain recorded in TOOLCHAIN, whatever the directory,
# machine or parallelism; --check prints both toolchains when the bytes differ.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
src="$here/src"
contracts=(counter nft compute outlayer)
packages=(clang-14 lld-14 binaryen)

mode=build
out="$here"
case "${1:-}" in
  --check) mode=check ;;
  --out) [[ -n "${2:-}" ]] || { echo "usage: $0 --out DIR" >&2; exit 2; }; mode=out; mkdir -p "$2"; out="$(cd "$2" && pwd)" ;;
  "") ;;
  *) echo "usage: $0 [--check | --out DIR]" >&2; exit 2 ;;
esac

if ! command -v clang-14 >/dev/null || ! command -v wasm-ld-14 >/dev/null || ! command -v wasm-opt >/dev/null; then
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
  else
    echo "clang-14, lld-14 and binaryen (wasm-opt) are required: apt-get install ${packages[*]}" >&2
    exit 1
  fi
fi

# What makes the bytes: the tools' versions and, on Debian, their exact package versions.
toolchain() {
  clang-14 --version | head -1
  wasm-opt --version
  if command -v dpkg-query >/dev/null; then dpkg-query -W -f='${Package} ${Version}\n' "${packages[@]}"; fi
}

# MVP wasm only (no bulk memory, sign-ext, ...), as NEAR's runtime accepts; no libc, no entry.
# --strip-all drops the name and producers sections so the bytes do not depend on build paths;
# --stack-first puts the 64 KiB stack below the data, so a stack overflow traps instead of
# silently overwriting static data.
cflags=(--target=wasm32-unknown-unknown -mcpu=mvp -O2 -ffreestanding -fno-builtin
        -fno-exceptions -Wall -Wextra -Werror -Wno-unused-parameter -ffile-prefix-map="$here"=.)
ldflags=(--target=wasm32-unknown-unknown -nostdlib
         -Wl,--no-entry -Wl,--strip-all -Wl,--gc-sections -Wl,-z,stack-size=65536 -Wl,--stack-first)
lib=(rt json)

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
[[ $mode == check ]] && out="$work/out" && mkdir "$out"

# Where a contract's source and binary live: outlayer's in outlayer/ (with its README), the rest here.
source_of() { [[ $1 == outlayer ]] && echo "$here/outlayer/outlayer.c" || echo "$src/$1.c"; }
wasm_of() { [[ $1 == outlayer ]] && echo "outlayer/outlayer.wasm" || echo "$1.wasm"; }

# Compile, link and optimise as three explicit steps: a clang that is given -O2 when it links
# runs whichever wasm-opt it finds on the PATH (or none), which is what made the bytes differ
# between machines. Linking without -O keeps clang from doing that; wasm-opt then runs here.
for name in "${contracts[@]}"; do
  units=("$name" "${lib[@]}")
  [[ $name == compute ]] && units+=(sha256)
  objects=()
  for unit in "${units[@]}"; do
    file="$src/lib/$unit.c"
    [[ $unit == "$name" ]] && file="$(source_of "$name")"
    clang-14 "${cflags[@]}" -c -o "$work/$name-$unit.o" "$file"
    objects+=("$work/$name-$unit.o")
  done
  clang-14 "${ldflags[@]}" -o "$work/$name.wasm" "${objects[@]}"
  mkdir -p "$(dirname "$out/$(wasm_of "$name")")"
  wasm-opt -O2 "$work/$name.wasm" -o "$out/$(wasm_of "$name")"
done

if [[ $mode == check ]]; then
  status=0
  for name in "${contracts[@]}"; do
    if ! cmp -s "$out/$(wasm_of "$name")" "$here/$(wasm_of "$name")"; then
      echo "resources/contracts/$(wasm_of "$name") differs from a rebuild of its source; run resources/contracts/build.sh" >&2
      status=1
    fi
  done
  if [[ $status != 0 ]]; then
    echo "rebuilt with:" >&2; toolchain | sed 's/^/  /' >&2
    echo "committed binaries built with (resources/contracts/TOOLCHAIN):" >&2; sed 's/^/  /' "$here/TOOLCHAIN" >&2
    exit $status
  fi
  echo "bundled contracts match their sources: ${contracts[*]}"
else
  [[ $mode == build ]] && toolchain > "$here/TOOLCHAIN"
  for name in "${contracts[@]}"; do
    echo "built $out/$(wasm_of "$name") ($(wc -c < "$out/$(wasm_of "$name")") bytes)"
  done
fi
