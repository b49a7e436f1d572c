import sanitizeHtml from 'sanitize-html';

/**
 * The markup a project description may keep: text structure and links, nothing that runs,
 * loads or styles. Anything else is removed (scripts and styles with their content);
 * attributes are dropped but for a link's `href`, and only http(s) and mailto links stay.
 */
const richTextOptions: sanitizeHtml.IOptions = {
  allowedTags: [
    'p',
    'br',
    'strong',
    'b',
    'em',
    'i',
    'u',
    's',
    'ul',
    'ol',
    'li',
    'blockquote',
    'code',
    'pre',
    'h3',
    'h4',
    'a',
  ],
  allowedAttributes: { a: ['href', 'rel', 'target'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: {
    // Links open outside the app and pass no referrer or ranking to their target.
    a: sanitizeHtml.simpleTransform('a', {
      rel: 'noopener noreferrer nofollow',
      target: '_blank',
    }),
  },
};

const looksLikeHtml = (text: string) => /<\/?[a-z][^>]*>|<!--/i.test(text);

/**
 * Rich text is cleaned to the safe subset above; plain text is escaped and its paragraphs
 * (blank-line separated) become `<p>`s, single line breaks `<br>`s.
 */
export function sanitizeDescription(input: string): string {
  if (looksLikeHtml(input)) return sanitizeHtml(input, richTextOptions).trim();
  return input
    .trim()
    .split(/\r?\n\s*\r?\n/)
    .map((paragraph) => `<p>${escapeHtml(paragraph.trim()).replace(/\r?\n/g, '<br>')}</p>`)
    .join('');
}

/** True when sanitised markup has no visible text left (e.g. it was only a script). */
export function isBlankHtml(html: string): boolean {
  return sanitizeHtml(html, { allowedTags: [], allowedAttributes: {} }).trim() === '';
}

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
