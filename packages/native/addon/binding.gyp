# The softmax-kit native addon. The kernels (../kernels/*.cc, gathered by kernels-all.cc) are
# compiled once per vector target into static libraries with that target's flags; the addon links them all and picks one at
# load time. Build: node scripts/build-addon.mjs (or, in this folder: npx node-gyp rebuild).
# It lives here, not at the package root, so npm never runs an implicit node-gyp install.
{
  "variables": {
    "kernel_sources": ["kernels-all.cc"],
    # No -ffast-math: the kernels rely on NaN and Infinity. No contraction: wide lanes and
    # one-lane tails must round alike.
    "kernel_cflags": ["-std=c++17", "-O2", "-ffp-contract=off", "-fno-exceptions", "-fno-rtti", "-Wno-maybe-uninitialized", "-Wno-uninitialized"]
  },
  "target_defaults": {
    "cflags_cc!": ["-fno-exceptions", "-std=gnu++17", "-std=gnu++20"],
    "xcode_settings": {
      "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
      "GCC_ENABLE_CPP_EXCEPTIONS": "YES",
      "OTHER_CPLUSPLUSFLAGS": ["-ffp-contract=off"]
    }
  },
  "targets": [
    {
      "target_name": "skk_kernels_scalar",
      "type": "static_library",
      "sources": ["<@(kernel_sources)"],
      "defines": ["SKK_ISA_SCALAR"],
      "cflags_cc": ["<@(kernel_cflags)"]
    },
    {
      "target_name": "softmax_kit_native",
      "sources": [
        "addon.cc",
        "args.cc",
        "backend.cc",
        "dispatch.cc",
        "pool.cc",
        "result-pool.cc",
        "ops/forward-call.cc",
        "ops/backward-call.cc",
        "ops/softmax.cc",
        "ops/log-softmax.cc",
        "ops/log-sum-exp.cc",
        "ops/softmax-backward.cc",
        "ops/log-softmax-backward.cc",
        "ops/softmax-jacobian.cc",
        "ops/softmax-cross-entropy.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")", "../kernels/include"],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS"],
      "cflags_cc": ["-std=c++17", "-fexceptions", "-O2"],
      "dependencies": ["skk_kernels_scalar"],
      "conditions": [
        ["target_arch == 'x64'", {"dependencies": ["skk_kernels_avx2", "skk_kernels_avx512"]}],
        ["OS == 'linux'", {"ldflags": ["-static-libstdc++", "-static-libgcc"]}]
      ]
    }
  ],
  "conditions": [
    ["target_arch == 'x64'", {
      "targets": [
        {
          "target_name": "skk_kernels_avx2",
          "type": "static_library",
          "sources": ["<@(kernel_sources)"],
          "defines": ["SKK_ISA_AVX2"],
          "cflags_cc": ["<@(kernel_cflags)", "-mavx2", "-mfma"],
          "xcode_settings": {"OTHER_CPLUSPLUSFLAGS": ["-ffp-contract=off", "-mavx2", "-mfma"]}
        },
        {
          "target_name": "skk_kernels_avx512",
          "type": "static_library",
          "sources": ["<@(kernel_sources)"],
          "defines": ["SKK_ISA_AVX512"],
          "cflags_cc": ["<@(kernel_cflags)", "-mavx512f", "-mavx2", "-mfma"],
          "xcode_settings": {"OTHER_CPLUSPLUSFLAGS": ["-ffp-contract=off", "-mavx512f", "-mavx2", "-mfma"]}
        }
      ]
    }]
  ]
}
