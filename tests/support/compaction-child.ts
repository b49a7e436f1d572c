/**
 * Opens a tracker journal with compaction in its own process, and stops dead at one step of it
 * so that the parent can kill the process right there, as a crash or a power cut would.
 * Usage: node tests/support/compaction-child.ts <journal path> <wall now ms> <before-rename|after-rename>
 * Prints `paused` when it stands at that step, then waits to be killed.
 */
import { renameSync } from 'node:fs';
import { openTracker } from '../../src-main/tracker/tracker-service.ts';

const [journalPath, nowArg, step] = process.argv.slice(2);
if (!journalPath || !nowArg || (step !== 'before-rename' && step !== 'after-rename')) {
  throw new Error('usage: compaction-child.ts <journal> <now> <before-rename|after-rename>');
}
const now = Number(nowArg);

const pauseForKill = (): never => {
  process.stdout.write('paused\n');
  // Blocks the only thread: nothing of the compaction can go on before the kill.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
  throw new Error('was not killed');
};

openTracker({
  journalPath,
  clock: { wallNow: () => now, monoNow: () => performance.now(), every: () => () => {} },
  idle: { available: false, idleSeconds: () => 0 },
  compaction: {
    rename: (from, to) => {
      if (step === 'before-rename') pauseForKill();
      renameSync(from, to);
      // Renamed, but the folder not yet fsync'ed.
      pauseForKill();
    },
  },
});
