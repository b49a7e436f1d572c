/**
 * "Chrome on Linux" from a user-agent string: enough for a person to recognise a device,
 * not a fingerprint. Unknown agents are shown as they are.
 */
export function describeUserAgent(userAgent: string | null): string | null {
  if (!userAgent) return null;
  const app = firstMatch(userAgent, [
    [/MegiLance\//, 'MegiLance desktop'],
    [/Electron\//, 'MegiLance desktop'],
    [/Edg\//, 'Edge'],
    [/OPR\//, 'Opera'],
    [/Firefox\//, 'Firefox'],
    [/Chrom(e|ium)\//, 'Chrome'],
    [/Safari\//, 'Safari'],
  ]);
  const system = firstMatch(userAgent, [
    [/Windows/, 'Windows'],
    [/iPhone|iPad/, 'iOS'],
    [/Mac OS X|Macintosh/, 'macOS'],
    [/Android/, 'Android'],
    [/CrOS/, 'ChromeOS'],
    [/Linux/, 'Linux'],
  ]);
  if (app && system) return `${app} on ${system}`;
  return app ?? system ?? userAgent;
}

function firstMatch(text: string, patterns: [RegExp, string][]): string | null {
  for (const [pattern, name] of patterns) if (pattern.test(text)) return name;
  return null;
}
