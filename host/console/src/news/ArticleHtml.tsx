import { Typography } from '@mantine/core';

/**
 * An article body as HTML. The HTML comes from the API, which renders the Markdown with raw HTML escaped and then
 * sanitises it (no script, no event handler, no javascript:/data: link); the console's Content-Security-Policy
 * forbids inline script as a second line. Nothing the person types reaches the page as HTML without the API.
 */
export function ArticleHtml({ html, testId }: { html: string; testId?: string }) {
  return (
    <Typography>
      <div data-testid={testId} dangerouslySetInnerHTML={{ __html: html }} />
    </Typography>
  );
}
