import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  indexPathIn,
  openScreenshotLibrary,
  type StoredShot,
} from '../../src-main/screenshots/library.ts';

const nine = Date.UTC(2026, 2, 2, 9, 0);
const hash = (digit: string) => digit.repeat(64);

function shot(id: number, overrides: Partial<StoredShot> = {}): StoredShot {
  const uuid = `00000000-0000-4000-8000-${String(id).padStart(12, '0')}`;
  const image = {
    hash: hash('a'),
    size: 10,
    width: 1280,
    height: 800,
    mimeType: 'image/webp' as const,
  };
  return {
    id: uuid,
    contractId: 'c1',
    entryId: '11111111-1111-4111-8111-111111111111',
    slot: nine,
    takenAt: nine + id * 1000,
    screen: 0,
    activity: 80,
    image,
    thumbnail: { ...image, hash: hash('b'), width: 320, height: 200 },
    blurred: false,
    state: 'pending',
    shareAt: nine + id * 1000 + 600_000,
    ...overrides,
  };
}

describe('screenshots: the local index', () => {
  it('replays adds, blurs, shares, deletes and stored hashes after a reopen', () => {
    const dir = mkdtempSync(join(tmpdir(), 'megilance-index-'));
    const library = openScreenshotLibrary(dir);
    const one = shot(1);
    const two = shot(2, { image: { ...one.image, hash: hash('c') } });
    library.add(one);
    library.add(two);
    library.replaceImages(
      two.id,
      { ...two.image, hash: hash('d') },
      { ...two.thumbnail, hash: hash('e') },
    );
    library.share(one.id);
    library.markStored(hash('a'));
    library.markStored(hash('a')); // once is enough
    expect(library.uploadQueue().map((s) => s.id)).toEqual([one.id]);
    library.markStored(hash('b'));
    expect(library.uploadQueue()).toEqual([]);
    library.close();

    const reopened = openScreenshotLibrary(dir);
    expect(reopened.get(one.id)).toMatchObject({ state: 'shared', uploaded: true });
    expect(reopened.get(two.id)).toMatchObject({
      state: 'pending',
      blurred: true,
      uploaded: false,
      image: { hash: hash('d') },
    });
    expect(reopened.momentsIn('c1', nine)).toBe(2);
    expect(reopened.dueForSharing(two.shareAt).map((s) => s.id)).toEqual([two.id]);
    expect(reopened.references(hash('c'))).toBe(false);
    reopened.delete(one.id);
    expect(reopened.list(nine, nine + 600_000).map((s) => s.id)).toEqual([two.id]);
    reopened.close();
  });

  it('refuses a blur of a shared record, skips a torn last line and compacts a long log', () => {
    const dir = mkdtempSync(join(tmpdir(), 'megilance-index-'));
    const library = openScreenshotLibrary(dir);
    const kept = shot(1, { state: 'shared' });
    library.add(kept);
    library.replaceImages(kept.id, { ...kept.image, hash: hash('f') }, kept.thumbnail);
    expect(library.get(kept.id)?.image.hash).toBe(hash('a'));
    for (let i = 2; i < 80; i++) {
      library.add(shot(i));
      library.delete(shot(i).id);
    }
    library.close();
    appendFileSync(indexPathIn(dir), '0badc0de {"t":"add","sh'); // a write cut short
    const lines = readFileSync(indexPathIn(dir), 'utf8').split('\n').length;

    const reopened = openScreenshotLibrary(dir);
    expect(reopened.list(-Infinity, Infinity).map((s) => s.id)).toEqual([kept.id]);
    reopened.close();
    // Rewritten with what is alive: one record instead of 160 lines.
    const compacted = readFileSync(indexPathIn(dir), 'utf8').trimEnd().split('\n');
    expect(lines).toBeGreaterThan(150);
    expect(compacted).toHaveLength(1);
    expect(openScreenshotLibrary(dir).get(kept.id)?.state).toBe('shared');
  });

  it('prunes only uploaded records and keeps that through a reopen and a compaction', () => {
    const dir = mkdtempSync(join(tmpdir(), 'megilance-index-'));
    const library = openScreenshotLibrary(dir);
    const old = shot(1, { state: 'shared' });
    // Same thumbnail bytes, taken later and still private.
    const later = shot(2, { image: { ...old.image, hash: hash('c') } });
    library.add(old);
    library.add(later);
    expect(() => library.markPruned(old.id)).toThrow(/not uploaded/);
    expect(library.dueForPruning(later.takenAt)).toEqual([]);
    library.markStored(hash('a'));
    library.markStored(hash('b'));
    expect(library.dueForPruning(later.takenAt).map((s) => s.id)).toEqual([old.id]);
    library.markPruned(old.id);
    expect(library.dueForPruning(later.takenAt)).toEqual([]);
    // The old record's full image is needed by nobody here; the thumbnail still by `later`.
    expect(library.references(hash('a'))).toBe(false);
    expect(library.references(hash('b'))).toBe(true);
    for (let i = 3; i < 80; i++) {
      library.add(shot(i));
      library.delete(shot(i).id);
    }
    library.close();

    const reopened = openScreenshotLibrary(dir);
    expect(readFileSync(indexPathIn(dir), 'utf8').trimEnd().split('\n')).toHaveLength(5);
    expect(reopened.isPruned(old.id)).toBe(true);
    expect(reopened.get(old.id)).toMatchObject({ state: 'shared', uploaded: true });
    expect(reopened.prunedShots().map((s) => s.id)).toEqual([old.id]);
    // A deleted record leaves nothing pruned behind.
    reopened.delete(old.id);
    expect(reopened.prunedShots()).toEqual([]);
    reopened.close();
  });
});
