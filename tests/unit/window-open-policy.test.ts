/**
 * Which windows the desktop app opens itself: only blobs of its own origin (invoice PDFs)
 * get a sandboxed child window; http(s) links go to the system browser; the rest is refused.
 */
import { describe, expect, it } from 'vitest';
import { appOrigin } from '../../src-main/app-origin.ts';
import { windowOpenPolicy } from '../../src-main/windows/window-open-policy.ts';

describe('windowOpenPolicy', () => {
  it('opens blobs made by the app’s own UI in a child window', () => {
    expect(
      windowOpenPolicy(`blob:${appOrigin}/6f9c1c1e-7f4b-4c7e-9a55-3b1f0f8f1a2d`, appOrigin),
    ).toBe('allow-child');
  });

  it('refuses blobs of any other origin, or of a look-alike one', () => {
    for (const url of [
      'blob:http://127.0.0.1:5173/6f9c1c1e',
      'blob:https://evil.example/6f9c1c1e',
      'blob:app://megilance.evil.example/6f9c1c1e',
      'blob:app://megilance:8080/6f9c1c1e',
      'blob:app://someone@megilance/6f9c1c1e',
      'blob:other://megilance/6f9c1c1e',
      'blob:null/6f9c1c1e',
      'blob:',
    ]) {
      expect(windowOpenPolicy(url, appOrigin), url).toBe('deny');
    }
  });

  it('follows the origin it is given (the browser host’s, say)', () => {
    const origin = 'http://127.0.0.1:5173';
    expect(windowOpenPolicy(`blob:${origin}/6f9c1c1e`, origin)).toBe('allow-child');
    expect(windowOpenPolicy(`blob:${appOrigin}/6f9c1c1e`, origin)).toBe('deny');
  });

  it('sends plain http(s) links to the system browser, as before', () => {
    expect(windowOpenPolicy('https://stripe.com/docs', appOrigin)).toBe('external');
    expect(windowOpenPolicy('http://example.com/a?b=c', appOrigin)).toBe('external');
  });

  it('refuses everything else: other schemes, credentials in links, garbage', () => {
    for (const url of [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'data:application/pdf;base64,JVBERi0=',
      `${appOrigin}/invoices/1`,
      'https://user:secret@example.com/',
      'not a url',
      '',
    ]) {
      expect(windowOpenPolicy(url, appOrigin), url).toBe('deny');
    }
  });
});
