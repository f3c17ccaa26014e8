#!/bin/sh
# Rebuilds the Linux emulator's test programs (resources/programs/*.wasm) from src/*.c with
# Debian 12's clang-14, lld-14, wasi-libc and binaryen:
#   apt-get install -y clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32 binaryen
#   ./build.sh            rebuild every .wasm in place (and record the toolchain in TOOLCHAIN)
#   ./build.sh --out DIR  rebuild into DIR
#   ./build.sh --check    rebuild into a temporary directory and fail if any committed .wasm differs
# The bytes are reproducible for the toolchain recorded in TOOLCHAIN, whatever the directory,
# machine or parallelism; --check prints both toolchains when the bytes differ.
set -eu
cd "$(dirname "$0")"
packages="clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32 binaryen"
missing=""
command -v clang-14 >/dev/null || missing="$missing clang-14"
command -v wasm-ld-14 >/dev/null || missing="$missing lld-14"
[ -f /usr/lib/wasm32-wasi/libc.a ] || missing="$missing wasi-libc"
[ -f /usr/lib/llvm-14/lib/clang/14.0.6/lib/wasi/libclang_rt.builtins-wasm32.a ] || missing="$missing libclang-rt-14-dev-wasm32"
command -v wasm-opt >/dev/null || missing="$missing binaryen"
if [ -n "$missing" ]; then
    if [ "$(id -u)" = 0 ]; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
    else
        echo "missing:$missing (apt-get install -y$missing)" >&2
        exit 1
    fi
fi

# What makes the bytes: the tools' versions and, on Debian, their exact package versions.
toolchain() {
    clang-14 --version | head -1
    wasm-opt --version
    if command -v dpkg-query >/dev/null; then dpkg-query -W -f='${Package} ${Version}\n' $packages; fi
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
out=.
case "${1:-}" in
    --check) out="$work/out"; mkdir "$out" ;;
    --out) [ -n "${2:-}" ] || { echo "usage: $0 --out DIR" >&2; exit 2; }; mkdir -p "$2"; out=$2 ;;
    "") ;;
    *) echo "usage: $0 [--check | --out DIR]" >&2; exit 2 ;;
esac

# Compile, link and optimise as three explicit steps: a clang that is given -O2 when it links
# runs whichever wasm-opt it finds on the PATH (or none), which is what made the bytes differ
# between machines. Linking without -O keeps clang from doing that; wasm-opt then runs here.
for src in src/*.c; do
    name=$(basename "$src" .c)
    clang-14 --target=wasm32-wasi --sysroot=/usr -O2 -Wall -Werror -Wno-unused-result -c -o "$work/$name.o" "$src"
    clang-14 --target=wasm32-wasi --sysroot=/usr -Wl,--strip-debug -o "$work/$name.wasm" "$work/$name.o"
    wasm-opt -O2 "$work/$name.wasm" -o "$out/$name.wasm"
done

case "${1:-}" in
    --check)
        status=0
        for src in src/*.c; do
            name=$(basename "$src" .c)
            if ! cmp -s "$out/$name.wasm" "$name.wasm"; then
                echo "resources/programs/$name.wasm is stale: run resources/programs/build.sh" >&2
                status=1
            fi
        done
        if [ $status -ne 0 ]; then
            echo "rebuilt with:" >&2; toolchain | sed 's/^/  /' >&2
            echo "committed binaries built with (resources/programs/TOOLCHAIN):" >&2; sed 's/^/  /' TOOLCHAIN >&2
            exit $status
        fi
        echo "resources/programs: every .wasm matches its source" ;;
    "") toolchain > TOOLCHAIN; ls -l ./*.wasm ;;
    *) ls -l "$out"/*.wasm ;;
esac
