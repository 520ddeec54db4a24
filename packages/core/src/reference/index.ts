/**
 * `@softmax-kit/core/reference`: every op in float64, written to be obviously right rather than
 * fast. Each function takes the public arguments (Tensor, Mask, Labels, options), checks them as
 * SEMANTICS.md "Errors" says (throwing the same typed errors), and returns Float64Array-backed results
 * whatever the input dtype. `out` / `gradOut` are checked but never written.
 */
export { logSoftmax } from './log-softmax.js';
export { logSoftmaxBackward } from './log-softmax-backward.js';
export { logSumExp } from './log-sum-exp.js';
export { softmax } from './softmax.js';
export { softmaxBackward } from './softmax-backward.js';
export { softmaxCrossEntropy } from './softmax-cross-entropy.js';
export { softmaxJacobian } from './softmax-jacobian.js';
