import { createTheme, type CSSVariablesResolver } from '@mantine/core';

/** The console's theme: Mantine's defaults, with a primary colour dark enough for AA contrast on white. */
export const theme = createTheme({
  primaryColor: 'blue',
  primaryShade: 8,
  defaultRadius: 'sm',
});

/**
 * "Dimmed" text (secondary lines, dividers' labels) is gray 6 by default: 3.3:1 on white, below WCAG AA's 4.5:1
 * (axe's color-contrast). Gray 7 passes (7.7:1).
 */
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: { '--mantine-color-dimmed': 'var(--mantine-color-gray-7)' },
  dark: {},
});
