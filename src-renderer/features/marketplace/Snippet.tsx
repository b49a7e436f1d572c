import { Mark, Text, type TextProps } from '@mantine/core';
import { snippetParts } from './snippet-parts.ts';

export function Snippet({ html, ...props }: { html: string } & TextProps) {
  const parts = snippetParts(html);
  if (parts.length === 0) return null;
  return (
    <Text size="sm" c="dimmed" {...props}>
      {parts.map((part, index) =>
        part.marked ? <Mark key={index}>{part.text}</Mark> : <span key={index}>{part.text}</span>,
      )}
    </Text>
  );
}
