/**
 * Runs the real tracker (real clock, real journal) in its own process until it is killed.
 * Usage: node tests/support/tracker-child.ts <journal path> <tick ms>
 * Prints one JSON line `{"startedAt": …}` once the entry is running.
 */
import { systemClock } from '../../src-main/tracker/capabilities.ts';
import { openTracker } from '../../src-main/tracker/tracker-service.ts';

const [journalPath, tickArg] = process.argv.slice(2);
if (!journalPath || !tickArg) throw new Error('usage: tracker-child.ts <journal> <tickMs>');
const tickMs = Number(tickArg);

const tracker = openTracker({
  journalPath,
  clock: systemClock,
  // Someone typing all the time: every second is billable.
  idle: { idleSeconds: () => 0 },
  tickMs,
  // A busy test machine may delay a timer; that must not end the entry on its own.
  maxGapMs: 60_000,
});
tracker.start({ contractId: 'crash-contract', memo: 'killed mid-flight' });
process.stdout.write(`${JSON.stringify({ startedAt: tracker.status()?.startedAt })}\n`);
