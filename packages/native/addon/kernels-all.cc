// Every shared kernel in one translation unit. binding.gyp compiles this file once per vector
// target (a static library each, with that target's SKK_ISA_* define and -m flags): one object
// per target, so the targets' objects never share a path.
#include "../kernels/softmax.cc"
#include "../kernels/log-softmax.cc"
#include "../kernels/log-sum-exp.cc"
#include "../kernels/softmax-backward.cc"
#include "../kernels/log-softmax-backward.cc"
#include "../kernels/softmax-jacobian.cc"
#include "../kernels/softmax-cross-entropy.cc"
