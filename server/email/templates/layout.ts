import { createElement as h, type ReactNode } from 'react';
import {
  Body,
  Button,
  Container,
  Head,
  Heading,
  Hr,
  Html,
  Link,
  Preview,
  Text,
} from '@react-email/components';

/**
 * The frame every MegiLance mail shares. Built with `createElement` in .ts files: Node runs the
 * server's TypeScript natively, and its type stripping does not read TSX.
 */
export function emailLayout(parts: {
  lang: string;
  preview: string;
  heading: string;
  children: ReactNode[];
  footer: string;
  /** Shown under the footer when the mail can be unsubscribed from. */
  unsubscribe?: { url: string; label: string } | null;
}) {
  return h(
    Html,
    { lang: parts.lang },
    h(Head, null),
    h(Preview, null, parts.preview),
    h(
      Body,
      { style: { backgroundColor: '#f4f5f7', fontFamily: 'Helvetica, Arial, sans-serif' } },
      h(
        Container,
        { style: { backgroundColor: '#ffffff', padding: '32px', maxWidth: '560px' } },
        h(Heading, { as: 'h1', style: { fontSize: '22px', color: '#1a1b1e' } }, parts.heading),
        ...parts.children,
        h(Hr, null),
        h(Text, { style: { fontSize: '12px', color: '#868e96' } }, parts.footer),
        parts.unsubscribe
          ? h(
              Text,
              { style: { fontSize: '12px', color: '#868e96' } },
              h(
                Link,
                { href: parts.unsubscribe.url, style: { color: '#868e96' } },
                parts.unsubscribe.label,
              ),
            )
          : null,
      ),
    ),
  );
}

export const paragraph = (text: string) =>
  h(Text, { style: { fontSize: '15px', lineHeight: '24px', color: '#1a1b1e' } }, text);

export const actionButton = (href: string, label: string) =>
  h(
    Button,
    {
      href,
      style: {
        backgroundColor: '#228be6',
        color: '#ffffff',
        padding: '12px 20px',
        borderRadius: '4px',
        fontSize: '15px',
      },
    },
    label,
  );

/** The link again in plain sight, for clients that hide buttons. */
export const linkFallback = (label: string, href: string) =>
  h(Text, { style: { fontSize: '13px', color: '#495057' } }, `${label} ${href}`);
