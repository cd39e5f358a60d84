import { Button, Group, type MantineSize } from '@mantine/core';

/** What a connection tells a pager (its `pageInfo`). */
export interface PagerPageInfo {
  hasNextPage: boolean;
  endCursor?: string | null;
}

interface CursorPagerProps {
  /** The `after` cursors of the pages before this one, oldest first (empty on the first page). */
  cursors: string[];
  /** The shown page's pageInfo; none while the first answer is loading. */
  pageInfo: PagerPageInfo | null | undefined;
  /** Called with the cursors of the page to show. */
  onChange: (cursors: string[]) => void;
  previousLabel: string;
  nextLabel: string;
  /** A list page keeps its pager in place; a panel inside a page (size xs) hides it when there is one page. */
  size?: MantineSize;
  hideWhenSinglePage?: boolean;
  disabled?: boolean;
  mt?: MantineSize;
}

/**
 * Previous / next over a Relay connection: the console's one pager. The cursors of the pages before the current one are
 * kept by the caller (in the URL's view state or in a state hook), so "previous" drops the last one and "next" adds the
 * current page's endCursor.
 */
export function CursorPager({ cursors, pageInfo, onChange, previousLabel, nextLabel, size, hideWhenSinglePage, disabled, mt }: CursorPagerProps) {
  const endCursor = pageInfo?.endCursor ?? null;
  const hasNext = Boolean(pageInfo?.hasNextPage && endCursor);
  if (hideWhenSinglePage && cursors.length === 0 && !hasNext) {
    return null;
  }
  return (
    <Group justify="space-between" mt={mt}>
      <Button variant="default" size={size} disabled={cursors.length === 0 || disabled} onClick={() => onChange(cursors.slice(0, -1))}>
        {previousLabel}
      </Button>
      <Button variant="default" size={size} disabled={!hasNext || disabled} onClick={() => endCursor && onChange([...cursors, endCursor])}>
        {nextLabel}
      </Button>
    </Group>
  );
}
