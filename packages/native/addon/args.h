// Argument checks of the raw binding: every argument is verified here and a bad one throws a
// JS TypeError / RangeError naming it; nothing unchecked reaches a kernel.
#pragma once

#include <napi.h>

#include <cstdint>
#include <vector>

#include "softmax-kit-kernels.h"

namespace skk {

// A typed array's memory, checked: not detached, not on a SharedArrayBuffer.
struct ArrayArg {
  napi_value value = nullptr;  // nullptr: an optional array that was not given
  void *data = nullptr;
  int64_t length = 0;
  size_t bytes = 0;
  bool f64 = false;
};

// A slot of the backend's params array (numbers are passed there, not as arguments: a typed
// array write from JS and a memory read here cost far less than a Node-API call per number).
struct P {
  int k;
};
constexpr int kParams = 16;

class Args {
 public:
  explicit Args(const Napi::CallbackInfo &info, const double *params = nullptr)
      : info_(info), env_(info.Env()), params_(params) {}
  Napi::Env env() const { return env_; }
  size_t count() const { return info_.Length(); }

  // A Float32Array or Float64Array of `dtype` (f64 < 0: either, fixing the call's dtype).
  ArrayArg floats(size_t index, const char *name, int f64);
  ArrayArg floats_or_null(size_t index, const char *name, int f64);
  ArrayArg bytes(size_t index, const char *name);
  ArrayArg ints(size_t index, const char *name);
  ArrayArg ints_or_null(size_t index, const char *name);
  bool is_null(size_t index) const;
  double number(size_t index, const char *name);
  double number(P p, const char *name) const { return params_[p.k]; }
  // An integer Number in [lo, hi] (an argument, or a params slot).
  template <class I>
  int64_t integer(I at, const char *name, int64_t lo, int64_t hi) {
    return checked_integer(number(at, name), name, lo, hi);
  }
  // A finite Number (> 0 when positive).
  template <class I>
  double finite(I at, const char *name, bool positive) {
    return checked_finite(number(at, name), name, positive);
  }
  bool boolean(size_t index, const char *name);
  // A params slot holding 0 or 1.
  bool boolean(P p, const char *name);
  // The view [outer, n, inner] in params slots k..k+2; its element count (checked for overflow).
  skk_view view(P p, int64_t *elements);
  // Mask arrays at index..index+2 (data, outerOffsets, innerOffsets; data null = none) and
  // its n stride in a params slot.
  skk_mask mask(size_t index, const skk_view &v, P n_stride);

  [[noreturn]] void type_error(const std::string &message) const;
  [[noreturn]] void range_error(const std::string &message) const;

  // Remembers an array for the overlap check and (async calls) to keep it alive.
  void input(const ArrayArg &a);
  void output(const ArrayArg &a);
  // Throws when an output overlaps an input or another output.
  void check_overlaps() const;
  std::vector<napi_value> arrays() const;

 private:
  int64_t checked_integer(double d, const char *name, int64_t lo, int64_t hi) const;
  double checked_finite(double d, const char *name, bool positive) const;
  struct TypedInfo {
    napi_value value = nullptr;
    napi_typedarray_type type = napi_int8_array;
    size_t length = 0;
    void *data = nullptr;
    napi_value buffer = nullptr;
  };
  bool read(size_t index, TypedInfo *t) const;
  ArrayArg checked(const TypedInfo &t, const char *name, const char *type_name) const;
  ArrayArg typed(size_t index, const char *name, napi_typedarray_type type, const char *type_name);
  static constexpr int kMaxArrays = 8;
  // What the overlap check and keep-alive need of an array; no member initializers, so the
  // arrays below are not zeroed on every call (that was 9% of a 1x10 call).
  struct Held {
    napi_value value;
    const void *data;
    size_t bytes;
    bool overlaps(const Held &other) const;
  };
  const Napi::CallbackInfo &info_;
  Napi::Env env_;
  const double *params_;
  // Fixed arrays, not vectors: no allocation on the small-input path.
  Held inputs_[kMaxArrays];
  Held outputs_[kMaxArrays];
  int n_inputs_ = 0;
  int n_outputs_ = 0;
};

void require_length(const Args &args, const ArrayArg &a, int64_t want, const char *name);

}  // namespace skk
