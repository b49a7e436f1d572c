import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readJournal } from '../../src-main/tracker/journal.ts';
import { systemClock } from '../../src-main/tracker/capabilities.ts';
import { openTracker } from '../../src-main/tracker/tracker-service.ts';
import { tempJournal } from '../support/tracker-fakes.ts';

const childScript = fileURLToPath(new URL('../support/tracker-child.ts', import.meta.url));
const tickMs = 100;

describe('tracker: crash recovery from a real process', () => {
  it('recovers the time of a tracker killed with SIGKILL to within one tick', async () => {
    const journalPath = tempJournal();
    // process.execPath is the Node 24 vitest runs on, which runs .ts natively.
    const child = spawn(process.execPath, [childScript, journalPath, String(tickMs)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = once(child, 'exit');
    const lines = createInterface({ input: child.stdout });
    const [first] = (await once(lines, 'line')) as [string];
    const { startedAt } = JSON.parse(first) as { startedAt: number };

    // Kill between two heartbeats (15.5 ticks in), where a lost tick would show.
    await new Promise((resolve) => setTimeout(resolve, 1_550));
    const killedAt = Date.now();
    child.kill('SIGKILL');
    const [code, signal] = (await exited) as [number | null, string | null];
    expect([code, signal]).toEqual([null, 'SIGKILL']);
    const ran = killedAt - startedAt;

    // Nothing closed the entry: the journal ends in heartbeats.
    expect(readJournal(journalPath).records.at(-1)?.t).toBe('tick');

    const tracker = openTracker({
      journalPath,
      clock: systemClock,
      idle: { idleSeconds: () => 0 },
    });
    try {
      expect(tracker.recovered).toHaveLength(1);
      const [recovered] = tracker.recovered;
      expect(recovered).toMatchObject({ contractId: 'crash-contract', startedAt });
      const recoveredMs = recovered!.billedMs;
      // Never more than really ran, and at most one tick less (plus slack for a timer that a
      // loaded machine fires late; measured here: about 50 ms, half a tick, as expected).
      expect(recoveredMs).toBeLessThanOrEqual(ran);
      expect(ran - recoveredMs).toBeLessThanOrEqual(tickMs + 30);
      expect(tracker.segments().reduce((total, s) => total + s.billedMs, 0)).toBe(recoveredMs);
      expect(tracker.segments()[0]?.memo).toBe('killed mid-flight');
    } finally {
      tracker.close();
    }
  });
});
