import sanitizeHtml from 'sanitize-html';
import {
  outsideLink,
  richTextLinkAttributes,
  richTextLinkSchemes,
  richTextTags,
} from '../../shared/marketplace/rich-text.ts';

/**
 * Rich text keeps the shared allow-list (shared/marketplace/rich-text.ts), nothing else:
 * other elements are removed (scripts and styles with their content), other attributes
 * dropped, and every link is made to open outside the app.
 */
const richTextOptions: sanitizeHtml.IOptions = {
  allowedTags: [...richTextTags],
  allowedAttributes: { a: [...richTextLinkAttributes] },
  allowedSchemes: [...richTextLinkSchemes],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: { a: sanitizeHtml.simpleTransform('a', { ...outsideLink }) },
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
