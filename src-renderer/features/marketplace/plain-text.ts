/**
 * The text to edit for a stored description or cover letter. The server turns plain text into
 * `<p>` paragraphs and `<br>` line breaks; such markup comes back as the plain text it was
 * typed as. Anything richer (lists, links, emphasis) is edited as the markup itself, so an
 * edit never quietly loses formatting; the server sanitises it again either way.
 */
export function htmlToPlainText(html: string): string {
  const body = new DOMParser().parseFromString(html, 'text/html').body;
  const paragraphs = Array.from(body.childNodes);
  const plain = paragraphs.every(
    (node) =>
      node instanceof HTMLParagraphElement &&
      Array.from(node.childNodes).every(
        (child) => child.nodeType === Node.TEXT_NODE || child instanceof HTMLBRElement,
      ),
  );
  if (!plain) return html;
  return paragraphs
    .map((paragraph) =>
      Array.from(paragraph.childNodes)
        .map((child) => (child instanceof HTMLBRElement ? '\n' : (child.textContent ?? '')))
        .join(''),
    )
    .join('\n\n');
}
