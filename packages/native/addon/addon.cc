// The export table of the softmax-kit native addon:
//   NativeBackend(threads, isa): a started backend with a thread pool (methods per op, dispose)
//   isas(): the vector targets this CPU runs, best first
//   newResultBuffer(bytes): an unzeroed ArrayBuffer for a new result, or null (result-pool.h)
//   resultPoolStats(): [kept blocks, kept bytes, live blocks, served, reused]
//   trimResultPool(): unmaps the kept blocks
#include <napi.h>

#include "args.h"
#include "backend.h"
#include "dispatch.h"
#include "result-pool.h"

namespace {

Napi::Value Isas(const Napi::CallbackInfo &info) {
  std::vector<std::string> isas = skk::supported_isas();
  Napi::Array list = Napi::Array::New(info.Env(), isas.size());
  for (size_t k = 0; k < isas.size(); k++) list.Set(static_cast<uint32_t>(k), isas[k]);
  return list;
}

// 2^47 bytes: past any address space a result could be mapped in
constexpr int64_t kMaxResultBytes = int64_t{1} << 47;

Napi::Value NewResultBufferFn(const Napi::CallbackInfo &info) {
  skk::Args args(info);
  auto bytes = static_cast<size_t>(args.integer(0, "bytes", 1, kMaxResultBytes));
  Napi::Value buffer = skk::NewResultBuffer(info.Env(), bytes);
  return buffer.IsEmpty() ? info.Env().Null() : buffer;
}

Napi::Value ResultPoolStatsFn(const Napi::CallbackInfo &info) {
  skk::ResultPoolStats s = skk::ResultPoolSnapshot();
  const size_t values[] = {s.cached_blocks, s.cached_bytes, s.live_blocks, s.served, s.reused};
  Napi::Array list = Napi::Array::New(info.Env(), 5);
  for (uint32_t k = 0; k < 5; k++) list.Set(k, static_cast<double>(values[k]));
  return list;
}

Napi::Value TrimResultPoolFn(const Napi::CallbackInfo &info) {
  skk::TrimResultPool();
  return info.Env().Undefined();
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("NativeBackend", skk::Backend::Init(env));
  exports.Set("isas", Napi::Function::New(env, Isas, "isas"));
  exports.Set("newResultBuffer", Napi::Function::New(env, NewResultBufferFn, "newResultBuffer"));
  exports.Set("resultPoolStats", Napi::Function::New(env, ResultPoolStatsFn, "resultPoolStats"));
  exports.Set("trimResultPool", Napi::Function::New(env, TrimResultPoolFn, "trimResultPool"));
  return exports;
}

}  // namespace

NODE_API_MODULE(softmax_kit_native, Init)
