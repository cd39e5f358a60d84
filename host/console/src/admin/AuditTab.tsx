import { Button, Code, Group, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import type { AuditEntryFilter, AuditEntryKind } from '../gql/graphql';
import { useFormat } from '../i18n/format';
import { ApiRefusal, errorCode } from './common';
import { AuditEntriesQuery } from './queries';
import { CursorPager } from '../common/CursorPager';

export const AUDIT_PAGE_SIZE = 20;
const kinds: AuditEntryKind[] = ['CHANGE', 'RESTRICTED_READ'];
/** The filters the API checks (VALIDATION on filter.<name>), shown under their own field. */
const filterFields = ['by', 'from', 'to'] as const;

/**
 * The view in the URL: entity, kind, by (a caller id), from and to (days, the browser's time; `to` included), and
 * `after` — the stack of cursors of the pages before this one (repeated; the last one is this page's `after`), as the
 * case list keeps it. A shared or reloaded link shows the same page of the same view.
 */
function readView(params: URLSearchParams) {
  const kind = params.get('kind');
  return {
    entity: params.get('entity') ?? '',
    kind: (kinds as string[]).includes(kind ?? '') ? (kind as AuditEntryKind) : null,
    by: params.get('by') ?? '',
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
    cursors: params.getAll('after'),
  };
}
type View = ReturnType<typeof readView>;

function writeView(view: View): URLSearchParams {
  const params = new URLSearchParams();
  if (view.entity) params.set('entity', view.entity);
  if (view.kind) params.set('kind', view.kind);
  if (view.by) params.set('by', view.by);
  if (view.from) params.set('from', view.from);
  if (view.to) params.set('to', view.to);
  view.cursors.forEach((c) => params.append('after', c));
  return params;
}

/**
 * The audit trail of one record (the API's auditEntries: changes and reads of RESTRICTED values, oldest first, within
 * the admin's clearance), filtered by kind, caller and days and paged with the API's cursors — the server filters
 * and pages, the console only shows.
 */
export function AuditTab() {
  const { t } = useTranslation();
  const format = useFormat();
  const [params, setParams] = useSearchParams();
  const view = readView(params);
  const [draft, setDraft] = useState(view.entity);
  const filter: AuditEntryFilter = {
    kinds: view.kind ? [view.kind] : null,
    by: view.by || null,
    from: view.from ? dayjs(view.from).startOf('day').toISOString() : null,
    to: view.to ? dayjs(view.to).add(1, 'day').startOf('day').toISOString() : null,
  };
  const after = view.cursors.at(-1) ?? null;
  const [{ data, error, fetching }] = useQuery({
    query: AuditEntriesQuery,
    variables: { entityId: view.entity, filter, first: AUDIT_PAGE_SIZE, after },
    pause: !view.entity,
  });

  /** A change of record or filter starts again from the first page. */
  const change = (next: Partial<View>) => setParams(writeView({ ...view, ...next, cursors: next.cursors ?? [] }));
  const invalidField = error && errorCode(error) === 'VALIDATION' ? String(error.graphQLErrors[0]?.extensions?.['field'] ?? '') : '';
  const fieldError = (name: (typeof filterFields)[number]) =>
    invalidField === `filter.${name}` ? (error?.graphQLErrors[0]?.message ?? t('admin.failed')) : undefined;
  const shownElsewhere = filterFields.some((name) => invalidField === `filter.${name}`);
  const connection = data?.auditEntries;
  const entries = connection?.nodes ?? [];
  const page = view.cursors.length + 1;

  return (
    <Stack gap="sm">
      <Title order={2}>{t('admin.audit.title')}</Title>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          change({ entity: draft.trim() });
        }}
      >
        <Group align="flex-end" gap="sm">
          <TextInput label={t('admin.audit.entity')} description={t('admin.audit.entityHelp')} value={draft}
            onChange={(e) => setDraft(e.currentTarget.value)} w={380}
            error={invalidField === 'entityId' ? error?.graphQLErrors[0]?.message : undefined} />
          <Button type="submit">{t('admin.audit.show')}</Button>
        </Group>
      </form>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
        <Select label={t('admin.audit.kind')} placeholder={t('admin.audit.allKinds')} clearable value={view.kind}
          data={kinds.map((k) => ({ value: k, label: t(`admin.audit.kinds.${k}`) }))}
          onChange={(value) => change({ kind: value as AuditEntryKind | null })} />
        <TextInput label={t('admin.audit.by')} description={t('admin.audit.byHelp')} defaultValue={view.by} key={view.by}
          error={fieldError('by')}
          onBlur={(e) => e.currentTarget.value.trim() !== view.by && change({ by: e.currentTarget.value.trim() })}
          onKeyDown={(e) => e.key === 'Enter' && change({ by: e.currentTarget.value.trim() })} />
        <DateInput label={t('admin.audit.from')} value={view.from || null} valueFormat="YYYY-MM-DD" clearable
          error={fieldError('from')} onChange={(value) => change({ from: value ?? '' })} />
        <DateInput label={t('admin.audit.to')} value={view.to || null} valueFormat="YYYY-MM-DD" clearable
          error={fieldError('to')} onChange={(value) => change({ to: value ?? '' })} />
      </SimpleGrid>
      {error && !shownElsewhere && invalidField !== 'entityId' && <ApiRefusal error={error} />}
      {view.entity && connection && (
        <Group justify="space-between" aria-live="polite">
          <Text role="status" data-testid="audit-count">
            {t('admin.audit.count', { count: connection.totalCount, shown: format.number(connection.totalCount) })}
          </Text>
          <Text size="sm" data-testid="audit-page">{t('admin.audit.pageN', { page: format.number(page) })}</Text>
        </Group>
      )}
      {entries.length > 0 && (
        <Table striped data-testid="admin-audit">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('admin.audit.at')}</Table.Th>
              <Table.Th>{t('admin.audit.kind')}</Table.Th>
              <Table.Th>{t('admin.audit.action')}</Table.Th>
              <Table.Th>{t('admin.audit.version')}</Table.Th>
              <Table.Th>{t('admin.audit.by')}</Table.Th>
              <Table.Th>{t('admin.audit.trace')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {entries.map((entry, index) => (
              <Table.Tr key={`${entry.at}-${entry.action}-${index}`} data-kind={entry.kind}>
                <Table.Td>{format.dateTime(entry.at)}</Table.Td>
                <Table.Td>{t(`admin.audit.kinds.${entry.kind}`)}</Table.Td>
                <Table.Td><Code>{entry.action}</Code></Table.Td>
                <Table.Td>{entry.version != null ? format.number(Number(entry.version)) : ''}</Table.Td>
                <Table.Td>{entry.by ?? ''}</Table.Td>
                <Table.Td><Code>{entry.traceId ?? ''}</Code></Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {view.entity && <CursorPager cursors={view.cursors} pageInfo={connection?.pageInfo} onChange={(cursors) => change({ cursors })} previousLabel={t('admin.audit.page.previous')} nextLabel={t('admin.audit.page.next')} hideWhenSinglePage disabled={fetching} />}
    </Stack>
  );
}
