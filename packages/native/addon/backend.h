// The JS object behind one started native backend: its thread pool, its kernel table, the
// thread-safe function that settles async calls on the JS thread, and the op methods
// (each defined in its own ops/<op>.cc).
#pragma once

#include <napi.h>

#include <functional>
#include <memory>

#include "args.h"
#include "dispatch.h"
#include "pool.h"

namespace skk {

// How one call is cut: `slices` independent slices of `per_slice` elements each.
struct Work {
  int64_t slices = 0;
  int64_t per_slice = 0;
};

// Where a call's arrays come from: its arguments, or the backend's stage (this.stage: five
// 64-byte slots that JS copies tiny arrays into, so the call reads no typed array at all).
enum class Arrays { kArguments, kStage };
constexpr int kStageSlots = 5;
constexpr int kStageBytes = 64;
// A staged call's dtype (0: float32, 1: float64) is a number in this params slot.
constexpr int kStagedF64Slot = 6;
// A staged cross-entropy's params after its own eight: dtype, target (0: labels, 1:
// probabilities), weights (0: none, 1: in slot 2).
constexpr int kStagedCeF64Slot = 8;
constexpr int kStagedCeProbsSlot = 9;
constexpr int kStagedCeWeightsSlot = 10;

// The numbers of a forward or backward call.
struct CallNumbers {
  int dt = 0;  // 0: float32, 1: float64
  skk_view v{};
  int64_t elements = 0;
  double inv_t = 0;
  skk_mask mask{};  // none unless set
  bool async = false;
};
// A staged call's numbers (params [outer, n, inner, invTemperature, unused, 0, f64]), checked.
CallNumbers staged_numbers(Args &args);

class Backend : public Napi::ObjectWrap<Backend> {
 public:
  static Napi::Function Init(Napi::Env env);
  explicit Backend(const Napi::CallbackInfo &info);
  ~Backend() override;

  const KernelTable &table() const { return *table_; }
  // The numbers of the next call (see Args and P), written by JS into this.params. params and
  // stage share one ArrayBuffer, checked each call: once detached it is an error, never a
  // stale pointer (an attached ArrayBuffer's memory never moves).
  const double *params(Napi::Env env) const;
  // Stage slot `slot` as a float array of `length` elements (throws when they do not fit).
  ArrayArg stage(const Args &args, int slot, int64_t length, bool f64, const char *name) const;
  int threads() const { return threads_; }
  // Throws when disposed.
  void check_alive(const Args &args) const;
  // Runs kernel(&a, begin, end) over slice ranges: inline when small (or one thread, sync),
  // else on the pool. Returns undefined once done, or (async) a Promise that settles when it is.
  template <class A>
  Napi::Value run_slices(Args &args, Work work, bool async, const A &a, void (*kernel)(const A *, int64_t, int64_t)) {
    if (work.slices == 0) return args.env().Undefined();
    if (runs_inline(work, async)) {
      kernel(&a, 0, work.slices);  // no allocation on this path: it is the small-input latency
      return args.env().Undefined();
    }
    auto held = std::make_shared<A>(a);
    return run_job(args, slice_job(work, [held, kernel](int64_t b, int64_t e) { kernel(held.get(), b, e); }), async);
  }
  bool runs_inline(Work work, bool async) const;
  // A one-stage job over slice ranges.
  std::shared_ptr<Job> slice_job(Work work, std::function<void(int64_t, int64_t)> fn) const;
  // Runs a prepared job (async: returns a Promise; sync: the calling thread helps).
  Napi::Value run_job(Args &args, const std::shared_ptr<Job> &job, bool async);

 private:
  Napi::Value Dispose(const Napi::CallbackInfo &info);
  Napi::Value Isa(const Napi::CallbackInfo &info);
  Napi::Value Threads(const Napi::CallbackInfo &info);
  Napi::Value Softmax(const Napi::CallbackInfo &info);
  Napi::Value SoftmaxStaged(const Napi::CallbackInfo &info);
  Napi::Value LogSoftmax(const Napi::CallbackInfo &info);
  Napi::Value LogSoftmaxStaged(const Napi::CallbackInfo &info);
  Napi::Value LogSumExp(const Napi::CallbackInfo &info);
  Napi::Value LogSumExpStaged(const Napi::CallbackInfo &info);
  Napi::Value SoftmaxBackward(const Napi::CallbackInfo &info);
  Napi::Value SoftmaxBackwardStaged(const Napi::CallbackInfo &info);
  Napi::Value LogSoftmaxBackward(const Napi::CallbackInfo &info);
  Napi::Value LogSoftmaxBackwardStaged(const Napi::CallbackInfo &info);
  Napi::Value SoftmaxJacobian(const Napi::CallbackInfo &info);
  Napi::Value SoftmaxCrossEntropy(const Napi::CallbackInfo &info);
  Napi::Value SoftmaxCrossEntropyStaged(const Napi::CallbackInfo &info);

  static void Cleanup(void *self);
  void shut_down();
  void settled(Napi::Env env);

  const KernelTable *table_ = nullptr;
  int threads_ = 1;
  std::unique_ptr<Pool> pool_;
  Napi::ThreadSafeFunction tsfn_;
  Napi::Reference<Napi::ArrayBuffer> block_;  // params, then the stage
  const double *params_ = nullptr;
  unsigned char *stage_ = nullptr;
  int pending_ = 0;
  bool disposed_ = false;
  bool hooked_ = false;
  napi_env env_ = nullptr;
};

}  // namespace skk
