import {
  closeSync,
  fdatasyncSync,
  fstatSync,
  openSync,
  readFileSync,
  readSync,
  writeSync,
} from 'node:fs';
import { crc32 } from 'node:zlib';
import type { z } from 'zod';
import { journalRecordSchema, type JournalRecord } from './ledger.ts';

/**
 * The tracker's append-only journal: one record per line, `<crc32 hex> <json>\n`. The checksum
 * makes each line self-validating, so a line cut short by a crash or a power cut (or damaged
 * later) is recognised and skipped on replay instead of poisoning it.
 *
 * fsync policy: every record is written with one `write` and then `fdatasync`ed before
 * `append` returns. A killed process loses nothing written (the kernel has it); a power cut
 * loses at most the record being written, i.e. one tick. The cost is one small synchronous
 * flush per tick (every few seconds), which the main process can afford.
 */
export interface RecordLog<T> {
  append(record: T): void;
  close(): void;
}
export type Journal = RecordLog<JournalRecord>;

export interface RecordLogReadResult<T> {
  records: T[];
  /** Lines that failed their checksum or schema: a torn last write, or damage. */
  skippedLines: number;
}
export type JournalReadResult = RecordLogReadResult<JournalRecord>;

/**
 * The same line format serves other append-only logs of the main process (the screenshot
 * index): the functions below take the record schema, the tracker's wrappers pass its own.
 */
export function encodeLine(record: unknown): string {
  const json = JSON.stringify(record);
  return `${checksum(json)} ${json}\n`;
}

export function decodeCheckedLine<T>(line: string, schema: z.ZodType<T>): T | null {
  const space = line.indexOf(' ');
  if (space !== 8) return null;
  const json = line.slice(space + 1);
  if (line.slice(0, space) !== checksum(json)) return null;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return null;
  }
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

export function readRecordLog<T>(path: string, schema: z.ZodType<T>): RecordLogReadResult<T> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], skippedLines: 0 };
    throw error;
  }
  const records: T[] = [];
  let skippedLines = 0;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const record = decodeCheckedLine(line, schema);
    if (record) records.push(record);
    else skippedLines++;
  }
  return { records, skippedLines };
}

/**
 * Opens the journal for appending. When the file ends in a torn line, a newline is written
 * first so that the next record starts on a line of its own (the torn one stays, and is
 * skipped, which keeps the file strictly append-only).
 */
export function openRecordLog<T>(path: string): RecordLog<T> {
  const fd = openSync(path, 'a+');
  const size = fstatSync(fd).size;
  if (size > 0) {
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    if (last[0] !== 0x0a) {
      writeSync(fd, '\n');
      fdatasyncSync(fd);
    }
  }
  let open = true;
  return {
    append: (record) => {
      if (!open) throw new Error(`The journal ${path} is closed.`);
      // A regular-file write normally takes everything at once; loop in case it does not.
      const bytes = Buffer.from(encodeLine(record), 'utf8');
      for (let done = 0; done < bytes.length;) done += writeSync(fd, bytes, done);
      fdatasyncSync(fd);
    },
    close: () => {
      if (!open) return;
      open = false;
      closeSync(fd);
    },
  };
}

export const encodeRecord = (record: JournalRecord): string => encodeLine(record);
export const decodeLine = (line: string): JournalRecord | null =>
  decodeCheckedLine(line, journalRecordSchema);
export const readJournal = (path: string): JournalReadResult =>
  readRecordLog(path, journalRecordSchema);
export const openJournal = (path: string): Journal => openRecordLog<JournalRecord>(path);

function checksum(text: string): string {
  return crc32(text).toString(16).padStart(8, '0');
}
