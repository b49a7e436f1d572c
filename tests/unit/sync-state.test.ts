import { describe, expect, it } from 'vitest';
import { syncStateOf, type SyncSignals } from '../../src-renderer/sync/sync-state.ts';

const calm: SyncSignals = {
  network: true,
  socketConnected: true,
  reachable: true,
  active: false,
  pendingCount: 0,
  failed: new Map(),
  problem: null,
};

describe('sync status', () => {
  it('is online when connected, idle and nothing waits', () => {
    expect(syncStateOf(calm)).toEqual({ kind: 'online' });
  });

  it('is offline when the network is gone, whatever else is true', () => {
    expect(
      syncStateOf({ ...calm, network: false, failed: new Map([['x', 'no']]), problem: 'boom' }),
    ).toEqual({ kind: 'offline' });
  });

  it('is offline when neither the socket nor HTTP reaches the server', () => {
    expect(syncStateOf({ ...calm, socketConnected: false, reachable: false })).toEqual({
      kind: 'offline',
    });
  });

  it('stays online over HTTP when only the socket is down', () => {
    expect(syncStateOf({ ...calm, socketConnected: false, reachable: true })).toEqual({
      kind: 'online',
    });
  });

  it('is syncing while replicating, with changes waiting, or before the first answer', () => {
    expect(syncStateOf({ ...calm, active: true })).toEqual({ kind: 'syncing' });
    expect(syncStateOf({ ...calm, pendingCount: 3 })).toEqual({ kind: 'syncing' });
    expect(syncStateOf({ ...calm, reachable: null })).toEqual({ kind: 'syncing' });
  });

  it('reports refused changes with the server reason, before other errors', () => {
    expect(
      syncStateOf({ ...calm, failed: new Map([['m1', 'senderId must be you']]), problem: 'x' }),
    ).toEqual({ kind: 'error', reason: 'The server refused a change: senderId must be you' });
    expect(
      syncStateOf({
        ...calm,
        failed: new Map([
          ['m1', 'senderId must be you'],
          ['m2', 'body only the sender can change it'],
        ]),
      }),
    ).toEqual({ kind: 'error', reason: 'The server refused 2 changes: senderId must be you' });
  });

  it('reports a server problem while online', () => {
    expect(syncStateOf({ ...calm, active: true, problem: 'The server is busy' })).toEqual({
      kind: 'error',
      reason: 'The server is busy',
    });
  });
});
