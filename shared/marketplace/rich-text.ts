/**
 * The markup rich text (project descriptions, cover letters, reviews, portfolio pieces) may
 * keep: text structure and links, nothing that runs, loads or styles. The server sanitises
 * to it on input (server/marketplace/sanitize.ts) and the renderer rebuilds only it on output
 * (src-renderer/features/marketplace/RichText.tsx), so both read this one list.
 */
export const richTextTags: readonly string[] = [
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
];

/** The only attributes kept are a link's; its `rel` and `target` are always `outsideLink`'s. */
export const richTextLinkAttributes: readonly string[] = ['href', 'rel', 'target'];

/** The schemes a link may use (no `javascript:`, no `data:`, no protocol-relative URLs). */
export const richTextLinkSchemes: readonly string[] = ['http', 'https', 'mailto'];

/** Links open outside the app and pass no referrer or ranking to their target. */
export const outsideLink = { rel: 'noopener noreferrer nofollow', target: '_blank' } as const;

/** A link's `href` as it may stay (absolute, with an allowed scheme, normalised), or null. */
export function allowedLink(href: string | null): string | null {
  if (!href) return null;
  try {
    const url = new URL(href);
    return richTextLinkSchemes.includes(url.protocol.slice(0, -1)) ? url.href : null;
  } catch {
    return null;
  }
}
