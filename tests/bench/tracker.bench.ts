/**
 * The tracker over a simulated 8-hour working day on an accelerated clock: 5-second ticks
 * (5,760 of them), work in 50-minute stretches with 10-minute breaks (so idle stretches open
 * and close), a memo change each hour, and the renderer's polling as the app does it (status
 * every second, the segments of the day every 30 s for the hand-off). Every tick is journaled
 * and fdatasync'ed for real.
 *
 * Reported: CPU time (user + system) and wall time for the day, CPU per tick and what that
 * means per real hour, heap and RSS growth, the journal's size and its replay time at the
 * next open. The peer, measured in the same run: appending the same number of lines of the
 * same size to a file with one fdatasync each — the floor any durable per-tick journal pays.
 */
import { closeSync, fdatasyncSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { openTracker } from '../../src-main/tracker/tracker-service.ts';
import { FakeClock, FakeIdle, minute, second, tempJournal } from '../support/tracker-fakes.ts';

const tickMs = 5 * second;
const dayMs = 8 * 60 * minute;
const start = Date.parse('2026-11-23T08:00:00.000Z');

interface DayFigures {
  wallMs: number;
  cpuMs: number;
  ticks: number;
  heapGrowthMb: number;
  rssGrowthMb: number;
  journalBytes: number;
  journalLines: number;
  replayMs: number;
  segments: number;
}

function trackDay(): DayFigures {
  const journalPath = tempJournal();
  const clock = new FakeClock(start);
  const idle = new FakeIdle(clock);
  // 50 minutes of input, 10 without, all day long.
  for (let from = 0; from < dayMs; from += 60 * minute) idle.inputDuring(from, from + 50 * minute);

  globalThis.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const rssBefore = process.memoryUsage().rss;
  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();

  let ticks = 0;
  const tracker = openTracker({ journalPath, clock, idle, tickMs });
  tracker.on((event) => {
    if (event.type === 'idle-question') {
      tracker.answerIdle(event.question.stretchId, { choice: 'discard' });
    }
  });
  tracker.start({ contractId: 'contract-bench', memo: 'Hour 1' });
  for (let elapsed = 0; elapsed < dayMs; elapsed += second) {
    clock.advance(second);
    if (elapsed % tickMs === 0) ticks += 1;
    tracker.status();
    if (elapsed % (30 * second) === 0) tracker.segments();
    if (elapsed > 0 && elapsed % (60 * minute) === 0) {
      tracker.setMemo(`Hour ${elapsed / (60 * minute) + 1}`);
    }
  }
  tracker.stop();
  const segments = tracker.segments().length;
  tracker.close();

  const cpu = process.cpuUsage(cpuBefore);
  const wallMs = performance.now() - wallBefore;
  const heapGrowthMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
  const rssGrowthMb = (process.memoryUsage().rss - rssBefore) / 2 ** 20;
  const journalBytes = statSync(journalPath).size;
  const journalLines = readFileSync(journalPath, 'utf8').split('\n').length - 1;

  const replayStart = performance.now();
  const reopened = openTracker({ journalPath, clock, idle, tickMs });
  reopened.segments();
  const replayMs = performance.now() - replayStart;
  reopened.close();
  void rm(dirname(journalPath), { recursive: true, force: true });

  return {
    wallMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    ticks,
    heapGrowthMb,
    rssGrowthMb,
    journalBytes,
    journalLines,
    replayMs,
    segments,
  };
}

/** The peer: as many lines of the same size, each written and fdatasync'ed alone. */
function bareAppend(lines: number, bytesPerLine: number): { wallMs: number; cpuMs: number } {
  const path = tempJournal();
  const line = `${'x'.repeat(Math.max(1, bytesPerLine - 1))}\n`;
  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  const fd = openSync(path, 'a');
  for (let i = 0; i < lines; i++) {
    writeSync(fd, line);
    fdatasyncSync(fd);
  }
  closeSync(fd);
  const cpu = process.cpuUsage(cpuBefore);
  const wallMs = performance.now() - wallBefore;
  void rm(dirname(path), { recursive: true, force: true });
  return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000 };
}

const fixed = (value: number, digits = 1) => value.toFixed(digits);

export async function run(): Promise<void> {
  // A warm-up day so the JIT and the file system caches do not land on the measured one.
  trackDay();
  const day = trackDay();
  const peer = bareAppend(day.journalLines, Math.round(day.journalBytes / day.journalLines));
  const ticksPerHour = 3_600_000 / tickMs;
  const cpuPerTickMs = day.cpuMs / day.ticks;

  console.log(
    `8-hour day, ${day.ticks} ticks of ${tickMs / 1000} s, status polled each second, segments every 30 s`,
  );
  console.log('| measure | tracker | bare append + fdatasync (same lines) |');
  console.log('| --- | ---: | ---: |');
  console.log(
    `| wall time for the day | ${fixed(day.wallMs, 0)} ms | ${fixed(peer.wallMs, 0)} ms |`,
  );
  console.log(`| CPU time for the day | ${fixed(day.cpuMs, 0)} ms | ${fixed(peer.cpuMs, 0)} ms |`);
  console.log(
    `| CPU per tick | ${fixed(cpuPerTickMs, 3)} ms | ${fixed(peer.cpuMs / day.journalLines, 3)} ms |`,
  );
  const cpuPerHourMs = day.cpuMs / (dayMs / 3_600_000);
  console.log(
    `| CPU per real hour (${ticksPerHour} ticks + polling) | ${fixed(cpuPerHourMs, 0)} ms (${fixed((cpuPerHourMs / 3_600_000) * 100, 4)} % of a core) | |`,
  );
  console.log(`| heap growth over the day | ${fixed(day.heapGrowthMb)} MB | |`);
  console.log(`| RSS growth over the day | ${fixed(day.rssGrowthMb)} MB | |`);
  console.log(`| journal | ${fixed(day.journalBytes / 1024, 0)} KB, ${day.journalLines} lines | |`);
  console.log(`| replay at next open (${day.segments} segments) | ${fixed(day.replayMs)} ms | |`);
  return Promise.resolve();
}
