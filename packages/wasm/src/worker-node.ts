/** The Node worker_threads entry: hands the first message to the shared worker loop. */
import { parentPort } from 'node:worker_threads';
import { startWorker } from './worker-body.js';
import type { InitMessage, WorkerReply } from './worker-protocol.js';

const port = parentPort;
if (port) {
  port.once('message', (init: InitMessage) => {
    void startWorker(init, (reply: WorkerReply) => port.postMessage(reply));
  });
}
