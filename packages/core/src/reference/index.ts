/**
 * `@softmax-kit/core/reference`: every op in float64, written to be obviously right rather than
 * fast. Each function takes the public arguments (Tensor, Mask, Labels, options), checks them as
 * DESIGN "Bad input" says (throwing the same typed errors), and returns Float64Array-backed results
 * whatever the input dtype. `out` / `gradOut` are checked but never written.
 */
export { logSoftmax } from './logSoftmax.js';
export { logSoftmaxBackward } from './logSoftmaxBackward.js';
export { logSumExp } from './logSumExp.js';
export { softmax } from './softmax.js';
export { softmaxBackward } from './softmaxBackward.js';
export { softmaxCrossEntropy } from './softmaxCrossEntropy.js';
export { softmaxJacobian } from './softmaxJacobian.js';
