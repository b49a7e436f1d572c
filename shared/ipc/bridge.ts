/**
 * The browser host's HTTP bridge: `POST <bridgePathPrefix><channel>` with the custom header
 * (which forces a CORS preflight the host never grants). Protocol: src-main/browser-host/host.ts.
 */
export const bridgePathPrefix = '/__megilance/ipc/';
export const bridgeHeader = 'x-megilance-bridge';
