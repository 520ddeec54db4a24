#include "forward-call.h"

#include <memory>
#include <vector>

namespace skk {

namespace {

// Rows at least this long, too few to feed every thread, are themselves split.
bool split_rows(const skk_view &v, int64_t chunk, int threads) {
  return threads > 1 && v.inner == 1 && v.n >= SKK_SPLIT_MIN_CHUNKS * chunk && v.outer < 2 * threads;
}

// One long row (or a few) over threads: chunk partials, a merge per row, then the writes.
std::shared_ptr<Job> long_row_job(const KernelTable &t, int dt, ForwardKind kind,
                                  std::shared_ptr<skk_forward_args> a, int64_t chunk, int threads) {
  const int64_t rows = a->view.outer;
  const int64_t chunks = (a->view.n + chunk - 1) / chunk;
  int64_t parts = (2 * threads + rows - 1) / rows;
  if (parts > chunks) parts = chunks;
  struct State {
    std::vector<skk_partial> partials;
    std::vector<skk_merged> merged;
  };
  auto st = std::make_shared<State>();
  st->partials.resize(rows * chunks);
  st->merged.resize(rows);
  auto range = [chunks, parts](int64_t piece, int64_t *row, int64_t *c0, int64_t *c1) {
    *row = piece / parts;
    const int64_t p = piece % parts;
    *c0 = chunks * p / parts;
    *c1 = chunks * (p + 1) / parts;
  };
  PartialsFn partials = t.row_partials[dt];
  MergeFn merge = t.merge_partials[dt];
  ForwardFn whole = kind == ForwardKind::kSoftmax      ? t.softmax[dt]
                    : kind == ForwardKind::kLogSoftmax ? t.log_softmax[dt]
                                                       : t.log_sum_exp[dt];
  FinishFn finish = kind == ForwardKind::kSoftmax      ? t.softmax_row_finish[dt]
                    : kind == ForwardKind::kLogSoftmax ? t.log_softmax_row_finish[dt]
                                                       : t.log_sum_exp_row_finish[dt];
  auto job = std::make_shared<Job>();
  Stage first;
  first.pieces = rows * parts;
  first.run = [a, st, range, partials, chunks](int64_t piece) {
    int64_t row, c0, c1;
    range(piece, &row, &c0, &c1);
    if (c0 < c1) partials(a.get(), row, c0, c1, st->partials.data() + row * chunks + c0);
  };
  first.after = [a, st, merge, rows, chunks]() {
    for (int64_t row = 0; row < rows; row++) {
      merge(st->partials.data() + row * chunks, chunks, a->inv_temperature, &st->merged[row]);
    }
  };
  Stage second;
  const bool lse = kind == ForwardKind::kLogSumExp;
  second.pieces = rows * (lse ? 1 : parts);
  second.run = [a, st, range, whole, finish, lse](int64_t piece) {
    int64_t row, c0, c1;
    if (lse) {
      row = piece;
      c0 = 0;
      c1 = 1;
    } else {
      range(piece, &row, &c0, &c1);
    }
    const skk_merged &m = st->merged[row];
    if (m.special) {
      if (c0 == 0) whole(a.get(), row, row + 1);  // the exact path, once per row
      return;
    }
    if (c0 < c1) finish(a.get(), row, &m, c0, c1);
  };
  job->stages.push_back(std::move(first));
  job->stages.push_back(std::move(second));
  return job;
}

}  // namespace

Napi::Value forward_call(Backend &backend, const Napi::CallbackInfo &info, ForwardKind kind, Arrays from) {
  Args args(info, backend.params(info.Env()));
  backend.check_alive(args);
  const bool lse = kind == ForwardKind::kLogSumExp;
  ArrayArg x, out;
  CallNumbers c;
  if (from == Arrays::kStage) {
    c = staged_numbers(args);
    x = backend.stage(args, 0, c.elements, c.dt, "x");
    out = backend.stage(args, 1, lse ? c.v.outer * c.v.inner : c.elements, c.dt, "out");
  } else {
    x = args.floats(0, "x", -1);
    c.dt = x.f64 ? 1 : 0;
    out = args.floats(1, "out", c.dt);
    c.v = args.view(P{0}, &c.elements);
    c.inv_t = args.finite(P{3}, "invTemperature", true);
    c.mask = args.mask(2, c.v, P{4});
    c.async = args.boolean(P{5}, "async");
    require_length(args, x, c.elements, "x");
    require_length(args, out, lse ? c.v.outer * c.v.inner : c.elements, "out");
    args.input(x);
    args.output(out);
    args.check_overlaps();
  }

  const skk_forward_args a{c.v, c.mask, c.inv_t, x.data, out.data};
  const KernelTable &t = backend.table();
  ForwardFn fn = kind == ForwardKind::kSoftmax      ? t.softmax[c.dt]
                 : kind == ForwardKind::kLogSoftmax ? t.log_softmax[c.dt]
                                                    : t.log_sum_exp[c.dt];
  const int64_t chunk = c.dt ? SKK_CHUNK_F64 : SKK_CHUNK_F32;
  if (c.v.outer * c.v.inner > 0 && split_rows(c.v, chunk, backend.threads())) {
    auto held = std::make_shared<skk_forward_args>(a);
    return backend.run_job(args, long_row_job(t, c.dt, kind, held, chunk, backend.threads()), c.async);
  }
  return backend.run_slices(args, Work{c.v.outer * c.v.inner, c.v.n}, c.async, a, fn);
}

}  // namespace skk
