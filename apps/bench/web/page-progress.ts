/**
 * The page's progress: a status line and a log. Every change to the page costs a frame that the
 * browser renders while the next round is timed, on the same cores: in headless Chromium the
 * GPU process composites it on SwiftShader. A status per 50 ms round took about 30% of a core
 * there and made the wasm backend's 2-thread calls 20% slower, so the status line is repainted
 * at most once per STATUS_INTERVAL_MS; log lines (rare: an implementation loaded or failed, a case
 * done) go out at once, with the latest status.
 */
import type { ProgressSink } from '../src/driver.js';

export const STATUS_INTERVAL_MS = 2000;

type TextTarget = { textContent: string | null };

export function pageProgress(
  status: TextTarget,
  log: TextTarget,
  now: () => number = () => performance.now(),
): ProgressSink {
  let latest: string | null = null;
  let paintedAt = -Infinity;
  const paint = () => {
    if (latest !== null && status.textContent !== latest) status.textContent = latest;
    paintedAt = now();
  };
  return {
    update(text) {
      latest = text;
      if (now() - paintedAt >= STATUS_INTERVAL_MS) paint();
    },
    log(text) {
      log.textContent = `${log.textContent ?? ''}${text}\n`;
      paint();
    },
  };
}
