import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultDataDir } from '../../src-main/data-dir.ts';
import { journalPathFor } from '../../src-main/tracker/tracker-host.ts';

describe('where tracker journals live', () => {
  it('puts one journal per profile and user under the data folder', () => {
    expect(journalPathFor('/data', 'default', 'a1b2-c3')).toBe(
      join('/data', 'tracker', 'default', 'a1b2-c3.jsonl'),
    );
  });

  it('refuses a user id that would leave the folder', () => {
    for (const bad of ['../other', 'a/b', '', '..']) {
      expect(() => journalPathFor('/data', 'default', bad)).toThrow(/Unusable user id/);
    }
  });

  it('takes MEGILANCE_DATA_DIR, else the per-user data folder', () => {
    expect(defaultDataDir({ MEGILANCE_DATA_DIR: '/tmp/ml' })).toBe('/tmp/ml');
    if (process.platform === 'linux') {
      expect(defaultDataDir({ XDG_DATA_HOME: '/xdg' })).toBe(join('/xdg', 'MegiLance'));
    }
  });
});
