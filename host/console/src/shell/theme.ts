import { createTheme, type CSSVariablesResolver } from '@mantine/core';

/** The console's theme: Mantine's defaults, with a primary colour dark enough for AA contrast on white. */
export const theme = createTheme({
  primaryColor: 'blue',
  primaryShade: 8,
  defaultRadius: 'sm',
});

/** Colours whose "light" variant (alerts, badges) writes shade 6 text on a pale tint by default: below 4.5:1. */
const lightVariantColours = ['red', 'orange', 'yellow', 'green', 'teal', 'grape'] as const;

/**
 * "Dimmed" text (secondary lines, dividers' labels) is gray 6 by default: 3.3:1 on white, below WCAG AA's 4.5:1
 * (axe's color-contrast). Gray 7 passes (7.7:1). The light variant's text (an orange conflict alert's title was
 * 2.9:1) takes shade 9 of its colour.
 */
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    // A field's error text and border (red 6 is 4.0:1 on white).
    '--mantine-color-error': 'var(--mantine-color-red-9)',
    ...Object.fromEntries(lightVariantColours.map((c) => [`--mantine-color-${c}-light-color`, `var(--mantine-color-${c}-9)`])),
  },
  dark: {},
});
