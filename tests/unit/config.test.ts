import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { ConfigError, loadConfig } from '../../server/config.ts';

describe('server configuration', () => {
  it('needs nothing: embedded SQLite in the data folder', () => {
    const config = loadConfig({});
    expect(config.port).toBe(4780);
    expect(config.host).toBe('127.0.0.1');
    expect(config.database).toEqual({
      kind: 'sqlite',
      file: resolve('.data/server/megilance.sqlite'),
    });
    expect(config.appOrigins).toContain('app://megilance');
  });

  it('switches to PostgreSQL when DATABASE_URL is set', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://127.0.0.1:5432/test',
      DATABASE_SCHEMA: 'tenant_a',
    });
    expect(config.database).toEqual({
      kind: 'postgres',
      url: 'postgres://127.0.0.1:5432/test',
      schema: 'tenant_a',
    });
  });

  it('says which variable is wrong, and why', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: '70000', DATABASE_URL: 'mysql://x' })).toThrow(
      /PORT: .*; DATABASE_URL: must be a postgres:\/\/ URL/,
    );
    expect(() => loadConfig({ DATABASE_SCHEMA: 'Robert"); drop table' })).toThrow(
      /DATABASE_SCHEMA/,
    );
    expect(() => loadConfig({ JWT_SECRET: 'short' })).toThrow(/JWT_SECRET: must be at least 32/);
  });
});
