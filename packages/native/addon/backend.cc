#include "backend.h"

#include <string>

namespace skk {

namespace {

// Below this many elements a call runs on the calling thread: handing it to threads costs more.
constexpr int64_t kInlineElements = 1 << 15;
// Aim for pieces of at least this many elements.
constexpr int64_t kPieceElements = 1 << 15;

// What an async call keeps until it settles.
struct Pending {
  Napi::Promise::Deferred deferred;
  std::vector<Napi::ObjectReference> keep;
  std::shared_ptr<Job> job;
};

}  // namespace

Napi::Function Backend::Init(Napi::Env env) {
  return DefineClass(env, "NativeBackend",
                     {
                         InstanceMethod<&Backend::Dispose>("dispose"),
                         InstanceMethod<&Backend::Isa>("isa"),
                         InstanceMethod<&Backend::Threads>("threads"),
                         InstanceMethod<&Backend::Softmax>("softmax"),
                         InstanceMethod<&Backend::SoftmaxStaged>("softmaxStaged"),
                         InstanceMethod<&Backend::LogSoftmax>("logSoftmax"),
                         InstanceMethod<&Backend::LogSoftmaxStaged>("logSoftmaxStaged"),
                         InstanceMethod<&Backend::LogSumExp>("logSumExp"),
                         InstanceMethod<&Backend::LogSumExpStaged>("logSumExpStaged"),
                         InstanceMethod<&Backend::SoftmaxBackward>("softmaxBackward"),
                         InstanceMethod<&Backend::SoftmaxBackwardStaged>("softmaxBackwardStaged"),
                         InstanceMethod<&Backend::LogSoftmaxBackward>("logSoftmaxBackward"),
                         InstanceMethod<&Backend::LogSoftmaxBackwardStaged>("logSoftmaxBackwardStaged"),
                         InstanceMethod<&Backend::SoftmaxJacobian>("softmaxJacobian"),
                         InstanceMethod<&Backend::SoftmaxCrossEntropy>("softmaxCrossEntropy"),
                         InstanceMethod<&Backend::SoftmaxCrossEntropyStaged>("softmaxCrossEntropyStaged"),
                     });
}

// new NativeBackend(threads, isa)
Backend::Backend(const Napi::CallbackInfo &info) : Napi::ObjectWrap<Backend>(info) {
  Args args(info);
  threads_ = static_cast<int>(args.integer(0, "threads", 1, 1024));
  if (info.Length() < 2 || !info[1].IsString()) args.type_error("isa must be a string");
  std::string isa = info[1].As<Napi::String>().Utf8Value();
  table_ = kernel_table(isa);
  if (table_ == nullptr) args.range_error("isa '" + isa + "' is not supported by this CPU or build");
  env_ = info.Env();
  constexpr size_t kParamBytes = kParams * sizeof(double);
  Napi::ArrayBuffer block = Napi::ArrayBuffer::New(info.Env(), kParamBytes + kStageSlots * kStageBytes);
  block_ = Napi::Persistent(block);
  params_ = static_cast<const double *>(block.Data());
  stage_ = static_cast<unsigned char *>(block.Data()) + kParamBytes;
  Napi::Object self = info.This().As<Napi::Object>();
  self.Set("params", Napi::Float64Array::New(info.Env(), kParams, block, 0));
  self.Set("stage", Napi::Uint8Array::New(info.Env(), kStageSlots * kStageBytes, block, kParamBytes));
  pool_ = std::make_unique<Pool>(threads_);
  Napi::Function noop = Napi::Function::New(info.Env(), [](const Napi::CallbackInfo &) {});
  tsfn_ = Napi::ThreadSafeFunction::New(info.Env(), noop, "softmax-kit-native", 0, 1);
  tsfn_.Unref(info.Env());
  napi_add_env_cleanup_hook(env_, &Backend::Cleanup, this);
  hooked_ = true;
}

Backend::~Backend() { shut_down(); }

// The environment is going away (the process exits without dispose()): join the threads.
void Backend::Cleanup(void *self) {
  auto *b = static_cast<Backend *>(self);
  b->hooked_ = false;
  b->disposed_ = true;  // the thread-safe function goes with the environment
  if (b->pool_) b->pool_->stop();
}

void Backend::shut_down() {
  if (pool_) pool_->stop();
  if (hooked_) {
    napi_remove_env_cleanup_hook(env_, &Backend::Cleanup, this);
    hooked_ = false;
  }
  if (!disposed_) {
    disposed_ = true;
    tsfn_.Release();
  }
}

Napi::Value Backend::Dispose(const Napi::CallbackInfo &info) {
  shut_down();
  return info.Env().Undefined();
}

Napi::Value Backend::Isa(const Napi::CallbackInfo &info) { return Napi::String::New(info.Env(), table_->isa); }
Napi::Value Backend::Threads(const Napi::CallbackInfo &info) { return Napi::Number::New(info.Env(), threads_); }

const double *Backend::params(Napi::Env env) const {
  // One cheap check instead of reading a typed array's info (a third of a 1x10 call).
  bool detached = true;
  if (napi_is_detached_arraybuffer(env, block_.Value(), &detached) != napi_ok || detached) {
    throw Napi::TypeError::New(env, "this backend's params array was detached");
  }
  return params_;
}

CallNumbers staged_numbers(Args &args) {
  CallNumbers n;
  n.dt = args.boolean(P{kStagedF64Slot}, "f64") ? 1 : 0;
  n.v = args.view(P{0}, &n.elements);
  n.inv_t = args.finite(P{3}, "invTemperature", true);
  if (args.boolean(P{5}, "async")) args.range_error("a staged call is synchronous (async must be 0)");
  return n;
}

ArrayArg Backend::stage(const Args &args, int slot, int64_t length, bool f64, const char *name) const {
  const int64_t elem = f64 ? 8 : 4;
  if (length > kStageBytes / elem) {
    args.range_error(std::string("a staged call's ") + name + " holds at most " + std::to_string(kStageBytes / elem) +
                     " elements");
  }
  ArrayArg a;
  a.data = stage_ + slot * kStageBytes;
  a.length = length;
  a.bytes = static_cast<size_t>(length * elem);
  a.f64 = f64;
  return a;
}

void Backend::check_alive(const Args &args) const {
  if (disposed_) throw Napi::Error::New(args.env(), "this native backend was disposed");
}

void Backend::settled(Napi::Env env) {
  if (--pending_ == 0 && !disposed_) tsfn_.Unref(env);
}

Napi::Value Backend::run_job(Args &args, const std::shared_ptr<Job> &job, bool async) {
  Napi::Env env = args.env();
  if (!async) {
    job->max_workers = threads_ - 1;
    pool_->run_sync(job);
    return env.Undefined();
  }
  job->max_workers = threads_;
  auto *pending = new Pending{Napi::Promise::Deferred::New(env), {}, job};
  for (napi_value v : args.arrays()) pending->keep.push_back(Napi::Persistent(Napi::Object(env, v)));
  pending->keep.push_back(Napi::Persistent(Value()));  // this backend outlives the call
  if (pending_++ == 0) tsfn_.Ref(env);
  Napi::Promise promise = pending->deferred.Promise();
  Napi::ThreadSafeFunction tsfn = tsfn_;
  job->on_done = [tsfn, pending, this]() mutable {
    tsfn.NonBlockingCall(pending, [this](Napi::Env env, Napi::Function, Pending *p) {
      p->deferred.Resolve(env.Undefined());
      delete p;
      settled(env);
    });
  };
  pool_->submit(job);
  return promise;
}

bool Backend::runs_inline(Work work, bool async) const {
  const int64_t elements = work.slices * (work.per_slice > 0 ? work.per_slice : 1);
  return elements < kInlineElements || (threads_ == 1 && !async);
}

std::shared_ptr<Job> Backend::slice_job(Work work, std::function<void(int64_t, int64_t)> fn) const {
  const int64_t elements = work.slices * (work.per_slice > 0 ? work.per_slice : 1);
  int64_t pieces = (elements + kPieceElements - 1) / kPieceElements;
  if (pieces > 4 * static_cast<int64_t>(threads_)) pieces = 4 * static_cast<int64_t>(threads_);
  if (pieces > work.slices) pieces = work.slices;
  const int64_t slices = work.slices;
  auto job = std::make_shared<Job>();
  Stage stage;
  stage.pieces = pieces;
  stage.run = [fn, pieces, slices](int64_t p) {
    const int64_t begin = slices * p / pieces, end = slices * (p + 1) / pieces;
    if (begin < end) fn(begin, end);
  };
  job->stages.push_back(std::move(stage));
  return job;
}

}  // namespace skk
