#include "dispatch.h"

namespace skk {

#define SKK_TABLE(name)                                                                              \
  KernelTable {                                                                                      \
    #name, {skk_##name##_softmax_f32, skk_##name##_softmax_f64},                                     \
        {skk_##name##_log_softmax_f32, skk_##name##_log_softmax_f64},                                \
        {skk_##name##_log_sum_exp_f32, skk_##name##_log_sum_exp_f64},                                \
        {skk_##name##_softmax_backward_f32, skk_##name##_softmax_backward_f64},                      \
        {skk_##name##_log_softmax_backward_f32, skk_##name##_log_softmax_backward_f64},              \
        {skk_##name##_softmax_jacobian_f32, skk_##name##_softmax_jacobian_f64},                      \
        {skk_##name##_softmax_cross_entropy_f32, skk_##name##_softmax_cross_entropy_f64},            \
        {skk_##name##_row_partials_f32, skk_##name##_row_partials_f64},                              \
        {skk_##name##_merge_partials_f32, skk_##name##_merge_partials_f64},                          \
        {skk_##name##_softmax_row_finish_f32, skk_##name##_softmax_row_finish_f64},                  \
        {skk_##name##_log_softmax_row_finish_f32, skk_##name##_log_softmax_row_finish_f64},          \
        {skk_##name##_log_sum_exp_row_finish_f32, skk_##name##_log_sum_exp_row_finish_f64},          \
  }

#if defined(__x86_64__) || defined(_M_X64)
static const KernelTable kAvx512 = SKK_TABLE(avx512);
static const KernelTable kAvx2 = SKK_TABLE(avx2);
#endif
static const KernelTable kScalar = SKK_TABLE(scalar);

std::vector<std::string> supported_isas() {
  std::vector<std::string> isas;
#if defined(__x86_64__) || defined(_M_X64)
  __builtin_cpu_init();
  const bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  if (avx2 && __builtin_cpu_supports("avx512f")) isas.push_back("avx512");
  if (avx2) isas.push_back("avx2");
#endif
  isas.push_back("scalar");
  return isas;
}

const KernelTable *kernel_table(const std::string &isa) {
  for (const std::string &s : supported_isas()) {
    if (s != isa) continue;
#if defined(__x86_64__) || defined(_M_X64)
    if (isa == "avx512") return &kAvx512;
    if (isa == "avx2") return &kAvx2;
#endif
    return &kScalar;
  }
  return nullptr;
}

}  // namespace skk
