#!/usr/bin/env bash
# Builds the addon with AddressSanitizer + UndefinedBehaviorSanitizer (gcc, Linux) and runs the
# conformance suite (every vector target), the thread-count test, the raw-binding fuzz, the async
# tests and the result pool's tests under them. Node itself is not instrumented, so the
# sanitizer runtimes are preloaded.
#   bash scripts/sanitize.sh            (from packages/native; needs g++ and the Node headers)
set -euo pipefail
cd "$(dirname "$0")/.."

out="${TMPDIR:-/tmp}/softmax-kit-native-sanitize"
mkdir -p "$out"
headers="${SOFTMAX_KIT_NODEDIR:-$(dirname "$(dirname "$(command -v node)")")}/include/node"
[ -f "$headers/node_api.h" ] || headers=/usr/include/node
addon_api="$(node -p "require('node-addon-api').include_dir")"
# vptr is off: node-addon-api casts `this` to the derived class inside ObjectWrap's own constructor,
# which the vptr check reports although nothing is read through it.
san=(-fsanitize=address,undefined -fno-sanitize=vptr -fno-sanitize-recover=undefined -fno-omit-frame-pointer -g -O1 -fPIC)
kernel=(-std=c++17 -ffp-contract=off -fno-exceptions -fno-rtti -Wno-maybe-uninitialized -Wno-uninitialized)

g++ "${san[@]}" "${kernel[@]}" -DSKK_ISA_AVX512 -mavx512f -mavx2 -mfma -c addon/kernels-all.cc -o "$out/k-avx512.o" &
g++ "${san[@]}" "${kernel[@]}" -DSKK_ISA_AVX2 -mavx2 -mfma -c addon/kernels-all.cc -o "$out/k-avx2.o" &
g++ "${san[@]}" "${kernel[@]}" -DSKK_ISA_SCALAR -c addon/kernels-all.cc -o "$out/k-scalar.o" &
wait
g++ "${san[@]}" -std=c++17 -fexceptions -DNAPI_VERSION=8 -DNAPI_CPP_EXCEPTIONS -I"$headers" -I"$addon_api" \
  -Ikernels/include -shared addon/addon.cc addon/args.cc addon/backend.cc addon/dispatch.cc addon/pool.cc addon/result-pool.cc \
  addon/ops/*.cc "$out"/k-*.o -o "$out/softmax-kit-native.node"

preload="$(g++ -print-file-name=libasan.so):$(g++ -print-file-name=libubsan.so)"
export SOFTMAX_KIT_NATIVE_BINARY="$out/softmax-kit-native.node"
export ASAN_OPTIONS="detect_leaks=0:abort_on_error=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
LD_PRELOAD="$preload" npx vitest run test/conformance-avx512.test.ts test/conformance-avx2.test.ts \
  test/conformance-scalar.test.ts test/threads.test.ts test/binding-fuzz.test.ts test/async.test.ts \
  test/result-pool.test.ts
echo "sanitizers: no report (binary $SOFTMAX_KIT_NATIVE_BINARY)"
