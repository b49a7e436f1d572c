import { describe, expect, it } from 'vitest';
import { buildMegilanceApi } from '../../shared/ipc/build-api.ts';
import { ipcChannels, type IpcChannel } from '../../shared/ipc/channels.ts';
import { ipcContract } from '../../shared/ipc/contract.ts';

describe('the window.megilance contract', () => {
  it('has a schema for every channel and a channel for every schema', () => {
    expect(Object.keys(ipcContract).sort()).toEqual([...ipcChannels].sort());
  });

  it('builds nested verbs that call one transport with the channel name', async () => {
    const calls: Array<[IpcChannel, unknown]> = [];
    const api = buildMegilanceApi(ipcChannels, (channel, input) => {
      calls.push([channel, input]);
      return Promise.resolve({ ok: true, value: null });
    });
    await api.session.signIn({ email: 'a@b.co', password: 'x' });
    await api.app.info();
    expect(calls).toEqual([
      ['session.signIn', { email: 'a@b.co', password: 'x' }],
      ['app.info', undefined],
    ]);
  });

  it('never lets a refresh token cross to the renderer', () => {
    for (const channel of ipcChannels) {
      const shape = JSON.stringify(ipcContract[channel].output._zod.def);
      expect(shape).not.toContain('refreshToken');
    }
  });
});
