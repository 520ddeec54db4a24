/** The Web Worker entry: hands the first message to the shared worker loop. */
import { startWorker } from './worker-body.js';
import type { InitMessage, WorkerReply } from './worker-protocol.js';

const scope = globalThis as unknown as {
  onmessage: ((event: MessageEvent<InitMessage>) => void) | null;
  postMessage(message: WorkerReply): void;
};
scope.onmessage = (event) => {
  scope.onmessage = null;
  void startWorker(event.data, (reply) => scope.postMessage(reply));
};
