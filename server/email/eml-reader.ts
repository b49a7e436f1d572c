/**
 * Reads back the messages this server wrote (nodemailer output: a single part or
 * multipart/alternative, 7bit, quoted-printable or base64). Enough for the dev mailbox; not a
 * general MIME parser.
 */
export interface ReadMessage {
  headers: Map<string, string>;
  subject: string;
  to: string;
  from: string;
  date: string;
  messageId: string;
  text: string | null;
  html: string | null;
}

export function readEml(raw: string): ReadMessage {
  const { headers, body } = splitEntity(raw);
  const parts: { headers: Map<string, string>; body: string }[] = [];
  const boundary = /boundary="?([^";]+)"?/i.exec(headers.get('content-type') ?? '')?.[1];
  if (boundary && /^multipart\//i.test(headers.get('content-type') ?? '')) {
    for (const chunk of body.split(`--${boundary}`).slice(1)) {
      if (chunk.startsWith('--')) break;
      parts.push(splitEntity(chunk.replace(/^\r?\n/, '')));
    }
  } else {
    parts.push({ headers, body });
  }
  const partOf = (type: string) => {
    const part = parts.find((p) =>
      (p.headers.get('content-type') ?? 'text/plain').startsWith(type),
    );
    return part ? decodeBody(part.body, part.headers.get('content-transfer-encoding')) : null;
  };
  const header = (name: string) => decodeWords(headers.get(name) ?? '');
  return {
    headers,
    subject: header('subject'),
    to: header('to'),
    from: header('from'),
    date: header('date'),
    messageId: header('message-id'),
    text: partOf('text/plain'),
    html: partOf('text/html'),
  };
}

function splitEntity(raw: string): { headers: Map<string, string>; body: string } {
  const match = /\r?\n\r?\n/.exec(raw);
  const head = match ? raw.slice(0, match.index) : raw;
  const body = match ? raw.slice(match.index + match[0].length) : '';
  const headers = new Map<string, string>();
  // Folded lines continue the header above them.
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0)
      headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body };
}

function decodeBody(body: string, encoding: string | undefined): string {
  const kind = (encoding ?? '7bit').toLowerCase();
  if (kind === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (kind === 'quoted-printable') return decodeQuotedPrintable(body);
  return body.replace(/\r?\n$/, '');
}

function decodeQuotedPrintable(body: string): string {
  const joined = body.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i += 1) {
    const hex = joined.slice(i + 1, i + 3);
    if (joined[i] === '=' && /^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(joined[i] ?? '', 'utf8'));
    }
  }
  return Buffer.from(bytes)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** RFC 2047 encoded words (`=?UTF-8?Q?…?=`) in headers. */
function decodeWords(value: string): string {
  return value.replace(
    /=\?([^?]+)\?([BQ])\?([^?]*)\?=/gi,
    (_all, _charset, kind: string, text: string) =>
      kind.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : decodeQuotedPrintable(text.replace(/_/g, ' ')),
  );
}
