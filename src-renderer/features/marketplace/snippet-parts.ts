const entities: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
};

export type SnippetPart = { text: string; marked: boolean };

/**
 * A search excerpt as the server sends it: escaped text whose matched words are wrapped in
 * `<mark>`. It is split into plain strings here and React renders them as text, so nothing
 * in it is ever parsed as markup, whatever a project's description contained.
 */
export function snippetParts(snippetHtml: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  let marked = false;
  for (const piece of snippetHtml.split(/(<mark>|<\/mark>)/)) {
    if (piece === '<mark>') marked = true;
    else if (piece === '</mark>') marked = false;
    else if (piece) {
      parts.push({
        text: piece.replace(/&(?:amp|lt|gt|quot|#39);/g, (e) => entities[e] ?? e),
        marked,
      });
    }
  }
  return parts;
}
