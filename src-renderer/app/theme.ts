import { createTheme, localStorageColorSchemeManager } from '@mantine/core';

export const theme = createTheme({
  primaryColor: 'indigo',
  primaryShade: { light: 6, dark: 5 },
  defaultRadius: 'md',
  fontFamily:
    'Inter, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "Noto Sans", "Liberation Sans", Arial, sans-serif',
  headings: {
    fontWeight: '700',
  },
  cursorType: 'pointer',
});

/** The colour scheme is a preference, not a secret: localStorage is the right place for it. */
export const colorSchemeManager = localStorageColorSchemeManager({ key: 'megilance-color-scheme' });
