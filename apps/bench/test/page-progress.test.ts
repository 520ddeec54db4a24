/** The page's status line is repainted at most every STATUS_INTERVAL_MS; log lines at once. */
import { describe, expect, it } from 'vitest';
import { pageProgress, STATUS_INTERVAL_MS } from '../web/page-progress.js';

function setUp() {
  let clock = 0;
  const status = { textContent: 'starting' as string | null };
  const log = { textContent: '' as string | null };
  const progress = pageProgress(status, log, () => clock);
  return { status, log, progress, advance: (ms: number) => (clock += ms) };
}

describe('page progress', () => {
  it('paints the first status, then at most one per interval, always the latest', () => {
    const { status, progress, advance } = setUp();
    progress.update('round 1');
    expect(status.textContent).toBe('round 1');
    advance(STATUS_INTERVAL_MS / 4);
    progress.update('round 2');
    advance(STATUS_INTERVAL_MS / 4);
    progress.update('round 3');
    expect(status.textContent).toBe('round 1');
    advance(STATUS_INTERVAL_MS / 2);
    progress.update('round 4');
    expect(status.textContent).toBe('round 4');
  });

  it('writes log lines at once, with the latest status', () => {
    const { status, log, progress, advance } = setUp();
    progress.update('warm-up');
    advance(1);
    progress.update('round 1');
    progress.log('case done');
    progress.log('next');
    expect(log.textContent).toBe('case done\nnext\n');
    expect(status.textContent).toBe('round 1');
  });
});
