#!/bin/sh
# Rebuilds the Linux emulator's test programs (resources/programs/*.wasm) from src/*.c with
# Debian's clang + lld + wasi-libc:  apt-get install -y clang lld wasi-libc libclang-rt-14-dev-wasm32
#   ./build.sh          rebuild every .wasm in place
#   ./build.sh --check  rebuild into a temporary directory and fail if any committed .wasm differs
set -eu
cd "$(dirname "$0")"
out=.
if [ "${1:-}" = "--check" ]; then
    out=$(mktemp -d)
    trap 'rm -rf "$out"' EXIT
fi
for src in src/*.c; do
    name=$(basename "$src" .c)
    clang --target=wasm32-wasi --sysroot=/usr -O2 -Wall -Werror -Wno-unused-result \
        -Wl,--strip-debug -o "$out/$name.wasm" "$src"
done
if [ "$out" != . ]; then
    status=0
    for src in src/*.c; do
        name=$(basename "$src" .c)
        if ! cmp -s "$out/$name.wasm" "$name.wasm"; then
            echo "resources/programs/$name.wasm is stale: run resources/programs/build.sh" >&2
            status=1
        fi
    done
    [ $status -eq 0 ] && echo "resources/programs: every .wasm matches its source"
    exit $status
fi
ls -l ./*.wasm
