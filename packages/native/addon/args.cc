#include "args.h"

#include <cmath>
#include <string>

namespace skk {

namespace {

constexpr int64_t kMaxSafe = 9007199254740991LL;  // 2^53 - 1

}  // namespace

bool Args::Held::overlaps(const Held &other) const {
  if (bytes == 0 || other.bytes == 0) return false;
  auto a0 = reinterpret_cast<uintptr_t>(data), b0 = reinterpret_cast<uintptr_t>(other.data);
  return a0 < b0 + other.bytes && b0 < a0 + bytes;
}

void Args::type_error(const std::string &message) const { throw Napi::TypeError::New(env_, message); }
void Args::input(const ArrayArg &a) {
  if (n_inputs_ == kMaxArrays) type_error("too many arrays");
  inputs_[n_inputs_++] = Held{a.value, a.data, a.bytes};
}
void Args::output(const ArrayArg &a) {
  if (n_outputs_ == kMaxArrays) type_error("too many arrays");
  outputs_[n_outputs_++] = Held{a.value, a.data, a.bytes};
}
void Args::range_error(const std::string &message) const { throw Napi::RangeError::New(env_, message); }

bool Args::is_null(size_t index) const {
  if (index >= info_.Length()) return true;
  napi_valuetype t;
  if (napi_typeof(env_, info_[index], &t) != napi_ok) return false;
  return t == napi_null || t == napi_undefined;
}

// One napi_get_typedarray_info call reads type, length and memory (and fails on anything that is
// not a typed array); the buffer is then checked for being shared, and for being detached.
bool Args::read(size_t index, TypedInfo *t) const {
  if (index >= info_.Length()) return false;
  t->value = info_[index];
  size_t offset = 0;
  return napi_get_typedarray_info(env_, t->value, &t->type, &t->length, &t->data, &t->buffer, &offset) == napi_ok;
}

ArrayArg Args::checked(const TypedInfo &t, const char *name, const char *type_name) const {
  bool is_plain = false;
  napi_is_arraybuffer(env_, t.buffer, &is_plain);
  if (!is_plain) type_error(std::string(name) + " must not be backed by a SharedArrayBuffer; copy it into a plain " + type_name);
  if (t.length == 0) {
    // A detached buffer shows as length 0: say so instead of reporting a length mismatch.
    bool detached = false;
    napi_is_detached_arraybuffer(env_, t.buffer, &detached);
    if (detached) type_error(std::string(name) + " is detached (its buffer was transferred)");
  }
  if (t.length > 0 && t.data == nullptr) type_error(std::string(name) + " has no memory");
  ArrayArg a;
  a.value = t.value;
  a.data = t.data;
  a.length = static_cast<int64_t>(t.length);
  a.f64 = t.type == napi_float64_array;
  size_t elem = t.type == napi_float64_array ? 8 : t.type == napi_float32_array || t.type == napi_int32_array ? 4 : 1;
  a.bytes = t.length * elem;
  return a;
}

ArrayArg Args::typed(size_t index, const char *name, napi_typedarray_type type, const char *type_name) {
  TypedInfo t;
  if (!read(index, &t) || t.type != type) type_error(std::string(name) + " must be a " + type_name);
  return checked(t, name, type_name);
}

ArrayArg Args::floats(size_t index, const char *name, int f64) {
  TypedInfo t;
  if (read(index, &t)) {
    if (t.type == napi_float32_array && f64 != 1) return checked(t, name, "Float32Array");
    if (t.type == napi_float64_array && f64 != 0) return checked(t, name, "Float64Array");
  }
  const char *want = f64 == 1 ? "Float64Array" : f64 == 0 ? "Float32Array" : "Float32Array or Float64Array";
  type_error(std::string(name) + " must be a " + want + (f64 >= 0 ? " (the call's dtype)" : ""));
}

ArrayArg Args::floats_or_null(size_t index, const char *name, int f64) {
  if (is_null(index)) return ArrayArg{};
  return floats(index, name, f64);
}

ArrayArg Args::bytes(size_t index, const char *name) { return typed(index, name, napi_uint8_array, "Uint8Array"); }
ArrayArg Args::ints(size_t index, const char *name) { return typed(index, name, napi_int32_array, "Int32Array"); }
ArrayArg Args::ints_or_null(size_t index, const char *name) {
  if (is_null(index)) return ArrayArg{};
  return ints(index, name);
}

double Args::number(size_t index, const char *name) {
  double d = 0;
  if (index >= info_.Length() || napi_get_value_double(env_, info_[index], &d) != napi_ok) {
    type_error(std::string(name) + " must be a number");
  }
  return d;
}

int64_t Args::checked_integer(double d, const char *name, int64_t lo, int64_t hi) const {
  if (!std::isfinite(d) || d != std::floor(d)) range_error(std::string(name) + " must be an integer");
  if (d < static_cast<double>(lo) || d > static_cast<double>(hi)) {
    range_error(std::string(name) + " must be in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
  }
  return static_cast<int64_t>(d);
}

double Args::checked_finite(double d, const char *name, bool positive) const {
  if (!std::isfinite(d)) range_error(std::string(name) + " must be finite");
  if (positive && !(d > 0)) range_error(std::string(name) + " must be > 0");
  return d;
}

bool Args::boolean(size_t index, const char *name) {
  bool b = false;
  if (index >= info_.Length() || napi_get_value_bool(env_, info_[index], &b) != napi_ok) {
    type_error(std::string(name) + " must be a boolean");
  }
  return b;
}

bool Args::boolean(P p, const char *name) {
  const double d = params_[p.k];
  if (d != 0 && d != 1) range_error(std::string(name) + " must be 0 or 1");
  return d == 1;
}

skk_view Args::view(P p, int64_t *elements) {
  skk_view v;
  v.outer = integer(P{p.k}, "outer", 0, kMaxSafe);
  v.n = integer(P{p.k + 1}, "n", 0, kMaxSafe);
  v.inner = integer(P{p.k + 2}, "inner", 0, kMaxSafe);
  int64_t on = 0, total = 0;
  if (__builtin_mul_overflow(v.outer, v.n, &on) || __builtin_mul_overflow(on, v.inner, &total) || total > kMaxSafe) {
    range_error("outer * n * inner overflows");
  }
  *elements = total;
  return v;
}

skk_mask Args::mask(size_t index, const skk_view &v, P stride_slot) {
  skk_mask m{nullptr, nullptr, nullptr, 0, 0};
  int64_t n_stride = integer(stride_slot, "mask nStride", 0, 2147483647);
  if (is_null(index)) {
    for (size_t k = index + 1; k < index + 3; k++) {
      if (!is_null(k)) type_error("mask offsets given without mask data");
    }
    return m;
  }
  ArrayArg data = bytes(index, "mask");
  ArrayArg outer = ints(index + 1, "mask outerOffsets");
  ArrayArg inner = ints(index + 2, "mask innerOffsets");
  if (outer.length != v.outer) range_error("mask outerOffsets must have outer elements");
  if (inner.length != v.inner) range_error("mask innerOffsets must have inner elements");
  input(data);
  input(outer);
  input(inner);
  int64_t max_o = 0, max_i = 0;
  const int32_t *oo = static_cast<const int32_t *>(outer.data);
  const int32_t *io = static_cast<const int32_t *>(inner.data);
  for (int64_t k = 0; k < outer.length; k++) {
    if (oo[k] < 0) range_error("mask outerOffsets must be >= 0");
    if (oo[k] > max_o) max_o = oo[k];
  }
  for (int64_t k = 0; k < inner.length; k++) {
    if (io[k] < 0) range_error("mask innerOffsets must be >= 0");
    if (io[k] > max_i) max_i = io[k];
  }
  if (v.outer > 0 && v.n > 0 && v.inner > 0) {
    // int64 cannot overflow: offsets < 2^31, n < 2^53 / 1 and n_stride < 2^31 would; check it.
    int64_t span = 0, last = 0;
    if (__builtin_mul_overflow(v.n - 1, n_stride, &span) || __builtin_add_overflow(span, max_o + max_i, &last) ||
        last >= data.length) {
      range_error("mask offsets reach past the end of the mask data");
    }
  }
  m.data = static_cast<const uint8_t *>(data.data);
  m.outer_offsets = oo;
  m.inner_offsets = io;
  m.n_stride = n_stride;
  m.dense = 0;
  return m;
}

void Args::check_overlaps() const {
  for (int k = 0; k < n_outputs_; k++) {
    for (int l = 0; l < n_inputs_; l++) {
      if (outputs_[k].overlaps(inputs_[l])) type_error("an output shares memory with an input");
    }
    for (int l = k + 1; l < n_outputs_; l++) {
      if (outputs_[k].overlaps(outputs_[l])) type_error("two outputs share memory");
    }
  }
}

std::vector<napi_value> Args::arrays() const {
  std::vector<napi_value> all;
  for (int k = 0; k < n_inputs_; k++) all.push_back(inputs_[k].value);
  for (int k = 0; k < n_outputs_; k++) all.push_back(outputs_[k].value);
  return all;
}

void require_length(const Args &args, const ArrayArg &a, int64_t want, const char *name) {
  if (a.length != want) {
    args.range_error(std::string(name) + " has " + std::to_string(a.length) + " elements, expected " +
                     std::to_string(want));
  }
}

}  // namespace skk
