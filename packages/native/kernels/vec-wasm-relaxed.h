// WebAssembly relaxed SIMD: the SIMD128 vectors with fmadd = relaxed_madd (fused where the CPU
// has FMA). Only fmadd changes; min/max stay the exact pmin/pmax forms (vec-wasm-simd128.h).
#define SKK_WASM_FUSED 1
#include "vec-wasm-simd128.h"
