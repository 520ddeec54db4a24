/** The Web Worker entry: hands the first message to the shared worker loop. */
import { startWorker } from './worker-body.js';
import type { InitMessage, WorkerReply } from './worker-protocol.js';

/** The part of a dedicated worker's global scope used here (the DOM lib types globalThis as a window). */
interface WorkerScope {
  onmessage: ((event: MessageEvent<InitMessage>) => void) | null;
  postMessage(message: WorkerReply): void;
}

function isWorkerScope(scope: unknown): scope is WorkerScope {
  return (
    typeof scope === 'object' &&
    scope !== null &&
    'onmessage' in scope &&
    'postMessage' in scope &&
    typeof scope.postMessage === 'function'
  );
}

const scope: unknown = globalThis;
if (!isWorkerScope(scope))
  throw new Error(
    'softmax-kit wasm: worker-browser.js must run as a Web Worker (no onmessage/postMessage here)',
  );
scope.onmessage = (event) => {
  scope.onmessage = null;
  void startWorker(event.data, (reply) => scope.postMessage(reply));
};
