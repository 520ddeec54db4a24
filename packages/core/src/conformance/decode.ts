/** Turns the JSON specs of the case files into public-API arguments of a given dtype. */
import type { CrossEntropyOptions, LogSumExpOptions, Reduction } from '../options.js';
import type { DType, Labels, Mask, Tensor } from '../types.js';
import { decodeNumber, type JsonOptions, type TensorSpec } from './case-files.js';
import { makeLabels, makeMask, makeTensor } from './tensors.js';

/** Options of every op at once; each op reads the ones it knows. */
export type AnyOptions = LogSumExpOptions & CrossEntropyOptions;

export function tensorFrom(spec: TensorSpec, dtype: DType): Tensor {
  return makeTensor(dtype, spec.data.map(decodeNumber), spec.shape);
}

export function maskFrom(spec: TensorSpec): Mask {
  return makeMask(spec.data.map(decodeNumber), spec.shape);
}

export function labelsFrom(spec: { shape: readonly number[]; data: readonly number[] }): Labels {
  return makeLabels(spec.data, spec.shape);
}

export function optionsFrom(json: JsonOptions | undefined, dtype: DType): AnyOptions {
  if (json === undefined) return {};
  const options: AnyOptions = {};
  if (json.axis !== undefined) options.axis = json.axis;
  if (json.temperature !== undefined) options.temperature = decodeNumber(json.temperature);
  if (json.keepDims !== undefined) options.keepDims = json.keepDims;
  if (json.where !== undefined) options.where = maskFrom(json.where);
  // Not checked here: bad-input cases pass unknown reductions on purpose.
  if (json.reduction !== undefined) options.reduction = json.reduction as Reduction;
  if (json.ignoreIndex !== undefined) options.ignoreIndex = json.ignoreIndex;
  if (json.labelSmoothing !== undefined) options.labelSmoothing = decodeNumber(json.labelSmoothing);
  if (json.weights !== undefined) options.weights = tensorFrom(json.weights, dtype);
  return options;
}
