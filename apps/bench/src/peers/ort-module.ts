/** Checks that an imported onnxruntime package has the API ./ort-common.ts uses. */
import { memberOf } from '../untyped.js';
import type { OrtModule } from './ort-common.js';

/** Whether v has Tensor, InferenceSession.create and env (with versions, when present). */
export function isOrtModule(v: unknown): v is OrtModule {
  const env = memberOf(v, 'env');
  const versions = memberOf(env, 'versions');
  return (
    typeof memberOf(v, 'Tensor') === 'function' &&
    typeof memberOf(memberOf(v, 'InferenceSession'), 'create') === 'function' &&
    typeof env === 'object' &&
    env !== null &&
    (versions === undefined || (typeof versions === 'object' && versions !== null))
  );
}

/** The ORT API of an imported module: the namespace itself or, through CommonJS interop, its default export. */
export function ortModuleFrom(imported: unknown, pkg: string): OrtModule {
  if (isOrtModule(imported)) return imported;
  const fallback = memberOf(imported, 'default');
  if (isOrtModule(fallback)) return fallback;
  throw new Error(`${pkg} exports no onnxruntime API (Tensor, InferenceSession.create, env)`);
}
