// The export table of the softmax-kit native addon:
//   NativeBackend(threads, isa): a started backend with a thread pool (methods per op, dispose)
//   isas(): the vector targets this CPU runs, best first
#include <napi.h>

#include "backend.h"
#include "dispatch.h"

namespace {

Napi::Value Isas(const Napi::CallbackInfo &info) {
  std::vector<std::string> isas = skk::supported_isas();
  Napi::Array list = Napi::Array::New(info.Env(), isas.size());
  for (size_t k = 0; k < isas.size(); k++) list.Set(static_cast<uint32_t>(k), isas[k]);
  return list;
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("NativeBackend", skk::Backend::Init(env));
  exports.Set("isas", Napi::Function::New(env, Isas, "isas"));
  return exports;
}

}  // namespace

NODE_API_MODULE(softmax_kit_native, Init)
