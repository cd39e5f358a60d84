import { createTheme } from '@mantine/core';

/** The console's theme: Mantine's defaults, with a primary colour dark enough for AA contrast on white. */
export const theme = createTheme({
  primaryColor: 'blue',
  primaryShade: 8,
  defaultRadius: 'sm',
});
