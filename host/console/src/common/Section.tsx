import { Paper, Title } from '@mantine/core';
import type { ReactNode } from 'react';

/** A titled part of a page (a <section> named by its h2), in a bordered paper: the record pages' and My work's sections. */
export function Section({ title, testId, children }: { title: string; testId?: string; children: ReactNode }) {
  const headingId = `section-${testId ?? title}`.replace(/\s+/g, '-');
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={headingId} data-testid={testId}>
      <Title order={2} size="h3" id={headingId} mb="sm">
        {title}
      </Title>
      {children}
    </Paper>
  );
}
