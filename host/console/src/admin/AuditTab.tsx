import { Button, Code, Group, Pagination, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { useFormat } from '../i18n/format';
import { ApiRefusal } from './common';
import { AuditTrailQuery } from './queries';

export const AUDIT_PAGE_SIZE = 20;
const kinds = ['CHANGE', 'RESTRICTED_READ'] as const;

/**
 * The audit trail of one record (the API's auditTrail(entityId), oldest first: changes and reads of RESTRICTED
 * values, within the admin's clearance), filtered by kind and caller, a page at a time. The record, the filters and
 * the page are in the URL (?entity=…&kind=…&by=…&page=…), so a view can be shared.
 */
export function AuditTab() {
  const { t } = useTranslation();
  const format = useFormat();
  const [params, setParams] = useSearchParams();
  const entity = params.get('entity') ?? '';
  const kind = params.get('kind');
  const by = params.get('by') ?? '';
  const page = Math.max(1, Number(params.get('page') ?? '1') || 1);
  const [draft, setDraft] = useState(entity);
  const [{ data, error, fetching }] = useQuery({ query: AuditTrailQuery, variables: { entityId: entity }, pause: !entity });

  const update = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) {
        next.set(key, value);
      } else {
        next.delete(key);
      }
    }
    setParams(next);
  };

  const entries = (data?.auditTrail ?? []).filter(
    (entry) => (!kind || entry.kind === kind) && (!by || (entry.by ?? '').toLowerCase().includes(by.toLowerCase())),
  );
  const pages = Math.max(1, Math.ceil(entries.length / AUDIT_PAGE_SIZE));
  const shown = entries.slice((page - 1) * AUDIT_PAGE_SIZE, page * AUDIT_PAGE_SIZE);
  return (
    <Stack gap="sm">
      <Title order={2}>{t('admin.audit.title')}</Title>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          update({ entity: draft.trim(), page: null });
        }}
      >
        <Group align="flex-end" gap="sm">
          <TextInput label={t('admin.audit.entity')} description={t('admin.audit.entityHelp')} value={draft}
            onChange={(e) => setDraft(e.currentTarget.value)} w={380} />
          <Button type="submit">{t('admin.audit.show')}</Button>
        </Group>
      </form>
      <Group gap="sm" align="flex-end">
        <Select label={t('admin.audit.kind')} placeholder={t('admin.audit.allKinds')} clearable value={kind}
          data={kinds.map((k) => ({ value: k, label: t(`admin.audit.kinds.${k}`) }))}
          onChange={(value) => update({ kind: value, page: null })} />
        <TextInput label={t('admin.audit.by')} defaultValue={by} key={by}
          onBlur={(e) => update({ by: e.currentTarget.value.trim(), page: null })}
          onKeyDown={(e) => e.key === 'Enter' && update({ by: e.currentTarget.value.trim(), page: null })} />
      </Group>
      {error && <ApiRefusal error={error} />}
      {entity && !error && !fetching && (
        <Text role="status" data-testid="audit-count">
          {t('admin.audit.count', { count: entries.length, shown: format.number(entries.length) })}
        </Text>
      )}
      {shown.length > 0 && (
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
            {shown.map((entry, index) => (
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
      {pages > 1 && (
        <Pagination total={pages} value={page} onChange={(next) => update({ page: String(next) })}
          getControlProps={(control) => ({ 'aria-label': t(`admin.audit.page.${control}`) })}
          getItemProps={(item) => ({ 'aria-label': t('admin.audit.pageN', { page: item }) })} />
      )}
    </Stack>
  );
}
