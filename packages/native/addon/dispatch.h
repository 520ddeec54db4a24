// The kernel entry points of one vector target, chosen once at load time.
#pragma once

#include <string>
#include <vector>

#include "softmax-kit-kernels.h"

namespace skk {

using ForwardFn = void (*)(const skk_forward_args *, int64_t, int64_t);
using BackwardFn = void (*)(const skk_backward_args *, int64_t, int64_t);
using JacobianFn = void (*)(const skk_jacobian_args *, int64_t, int64_t);
using CrossEntropyFn = void (*)(const skk_cross_entropy_args *, int64_t, int64_t);
using PartialsFn = void (*)(const skk_forward_args *, int64_t, int64_t, int64_t, skk_partial *);
using MergeFn = void (*)(const skk_partial *, int64_t, double, skk_merged *);
using FinishFn = void (*)(const skk_forward_args *, int64_t, const skk_merged *, int64_t, int64_t);

// One dtype's entry points; index [0] float32, [1] float64.
struct KernelTable {
  const char *isa;
  ForwardFn softmax[2], log_softmax[2], log_sum_exp[2];
  BackwardFn softmax_backward[2], log_softmax_backward[2];
  JacobianFn softmax_jacobian[2];
  CrossEntropyFn softmax_cross_entropy[2];
  PartialsFn row_partials[2];
  MergeFn merge_partials[2];
  FinishFn softmax_row_finish[2], log_softmax_row_finish[2], log_sum_exp_row_finish[2];
};

// The targets this CPU runs, best first (always ends with "scalar").
std::vector<std::string> supported_isas();
// The table of a supported target, or nullptr.
const KernelTable *kernel_table(const std::string &isa);

}  // namespace skk
