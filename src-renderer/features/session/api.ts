import { createApiClient } from '../../api/client.ts';
import { endSession, refreshAccessToken, useSessionStore } from './session-store.ts';

/** The REST client bound to this window's session: its server, its token, its refresh. */
export const api = createApiClient({
  baseUrl: () => {
    const serverUrl = useSessionStore.getState().appInfo?.serverUrl;
    if (!serverUrl) throw new Error('The server address is not known yet.');
    return `${serverUrl.replace(/\/+$/, '')}/api/v1`;
  },
  accessToken: () => useSessionStore.getState().accessToken,
  refreshAccessToken,
  onSessionEnded: endSession,
});
