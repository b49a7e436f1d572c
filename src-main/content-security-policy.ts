/**
 * The one CSP for the renderer, in Electron (`app://`) and in the browser host alike.
 * Electron security checklist #7 "Define a Content Security Policy": scripts only from our own
 * origin, network only to ourselves and the sync server (HTTP and its socket.io websocket).
 */
export function contentSecurityPolicy(serverUrl: string): string {
  const server = new URL(serverUrl);
  const websocket = `${server.protocol === 'https:' ? 'wss:' : 'ws:'}//${server.host}`;
  return [
    "default-src 'self'",
    "script-src 'self'",
    // Mantine writes inline style attributes and <style> tags at runtime.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self' ${server.origin} ${websocket}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Headers every renderer response carries, whichever host serves it. */
export function rendererSecurityHeaders(serverUrl: string): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(serverUrl),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), usb=(), payment=()',
  };
}
