import { Typography } from '@mantine/core';
import { createElement, type ReactNode } from 'react';
import { allowedLink, outsideLink, richTextTags } from '../../../shared/marketplace/rich-text.ts';

/**
 * Rich text the server sanitised (project descriptions, cover letters), shown without ever
 * handing markup to the DOM: the HTML is parsed into an inert document (DOMParser runs no
 * script and loads nothing) and rebuilt as React elements from the same allow-list the server
 * applies (shared/marketplace/rich-text.ts), with no attributes but a link's checked `href`.
 * So even a row that slipped past sanitising cannot run, load or style anything here.
 */
export function RichText({ html, label }: { html: string; label?: string }) {
  const body = new DOMParser().parseFromString(html, 'text/html').body;
  return (
    <Typography aria-label={label} fz="sm">
      {childrenOf(body)}
    </Typography>
  );
}

const allowedTags = new Set(richTextTags);

/** Elements whose content is not words a reader should see. */
const droppedWithContent = new Set(['script', 'style', 'template', 'noscript', 'iframe', 'object']);

function childrenOf(node: Node): ReactNode[] {
  return Array.from(node.childNodes).map((child, index) => toReact(child, index));
}

function toReact(node: Node, key: number): ReactNode {
  if (node.nodeType === Node.TEXT_NODE) return node.textContent;
  if (!(node instanceof Element)) return null;
  const tag = node.tagName.toLowerCase();
  if (droppedWithContent.has(tag)) return null;
  if (tag === 'br') return <br key={key} />;
  if (tag === 'a') {
    const href = allowedLink(node.getAttribute('href'));
    if (!href) return <span key={key}>{childrenOf(node)}</span>;
    // Opened outside the app (the main process allows only plain http(s) there).
    return (
      <a key={key} href={href} target={outsideLink.target} rel={outsideLink.rel}>
        {childrenOf(node)}
      </a>
    );
  }
  // Not on the allow-list: keep its words, lose the element.
  if (!allowedTags.has(tag)) return <span key={key}>{childrenOf(node)}</span>;
  return createElement(tag, { key }, ...childrenOf(node));
}
