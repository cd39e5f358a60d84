import { Anchor, Badge, Button, Center, Group, Loader, MultiSelect, Stack, Table, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { countryName } from '../cases/countries';
import { formatDay } from '../cases/partialDate';
import type { CallForInputStatus } from '../gql/graphql';
import { useFormat } from '../i18n/format';
import { CallListQuery, SubmissionDeskMeQuery } from './documents';
import { OpenCallForm } from './forms';
import { canWriteRoles } from './SubmissionList';
import { callStatusColor, callStatuses } from './vocabulary';
import { CursorPager } from '../common/CursorPager';

const pageSize = 25;

/** The audience in words: the regions, then the countries; nothing listed: every member. */
export function audienceText(
  call: { audience: { code: string }[]; audienceRegions: string[] },
  t: (key: string) => string,
  locale: string,
): string {
  if (call.audience.length === 0) return t('submissionDesk.call.everyone');
  const regions = call.audienceRegions.map((r) => t(`submissionDesk.region.${r}`));
  const countries = call.audience.map((c) => countryName(c.code, locale));
  return regions.length ? `${regions.join(', ')} (${countries.length})` : countries.join(', ');
}

/** The calls for input (staff: all; a member organisation: those addressed to it): status and page in the URL. */
export function CallList() {
  const { t } = useTranslation();
  const format = useFormat();
  const [params, setParams] = useSearchParams();
  const statuses = params.getAll('status').filter((s): s is CallForInputStatus => (callStatuses as string[]).includes(s));
  const cursors = params.getAll('after');
  const [opening, { open, close }] = useDisclosure(false);
  const [{ data: me }] = useQuery({ query: SubmissionDeskMeQuery });
  const canWrite = canWriteRoles.includes(me?.me.role ?? '');
  const [{ data, fetching, error }] = useQuery({
    query: CallListQuery,
    variables: { filter: { statuses: statuses.length ? statuses : null }, first: pageSize, after: cursors.at(-1) ?? null },
  });
  const change = (next: { statuses?: string[]; cursors?: string[] }) => {
    const p = new URLSearchParams();
    (next.statuses ?? statuses).forEach((s) => p.append('status', s));
    (next.cursors ?? []).forEach((c) => p.append('after', c));
    setParams(p);
  };
  const connection = data?.callsForInput;

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={2}>{t('submissionDesk.calls.title')}</Title>
        {canWrite && <Button onClick={open}>{t('submissionDesk.form.openCall')}</Button>}
      </Group>
      <MultiSelect
        label={t('submissionDesk.calls.statuses')}
        data={callStatuses.map((s) => ({ value: s, label: t(`submissionDesk.callStatus.${s}`) }))}
        value={statuses}
        onChange={(value) => change({ statuses: value })}
        clearable
        maw={420}
      />
      <Group justify="space-between" aria-live="polite">
        <Text size="sm">{connection ? t('submissionDesk.calls.count', { count: connection.totalCount, formatted: format.number(connection.totalCount) }) : ''}</Text>
        <Text size="sm">{t('submissionDesk.list.page', { page: cursors.length + 1 })}</Text>
      </Group>
      {fetching && !connection ? (
        <Center py="xl">
          <Loader aria-label={t('submissionDesk.list.loading')} />
        </Center>
      ) : error && !connection ? (
        <Text role="alert">{error.graphQLErrors[0]?.message ?? error.message}</Text>
      ) : connection && connection.nodes.length === 0 ? (
        <Text py="lg" data-testid="calls-empty">
          {t('submissionDesk.calls.empty')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table striped highlightOnHover data-testid="calls-table">
            <Table.Caption>{t('submissionDesk.calls.caption')}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('submissionDesk.column.title')}</Table.Th>
                <Table.Th scope="col">{t('submissionDesk.column.deadline')}</Table.Th>
                <Table.Th scope="col">{t('submissionDesk.column.status')}</Table.Th>
                <Table.Th scope="col">{t('submissionDesk.column.audience')}</Table.Th>
                <Table.Th scope="col">{t('submissionDesk.column.inputs')}</Table.Th>
                {connection?.nodes.some((c) => c.notAnswered) && <Table.Th scope="col">{t('submissionDesk.column.notAnswered')}</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {connection?.nodes.map((c) => (
                <Table.Tr key={c.id} data-call-id={c.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/submissions/calls/${encodeURIComponent(c.id)}`}>
                      {c.title}
                    </Anchor>
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDay(c.deadline, format.locale)}</Table.Td>
                  <Table.Td>
                    <Badge color={callStatusColor[c.status]}>{t(`submissionDesk.callStatus.${c.status}`)}</Badge>
                  </Table.Td>
                  <Table.Td>{audienceText(c, t, format.locale)}</Table.Td>
                  <Table.Td>{format.number(c.inputs.length)}</Table.Td>
                  {connection.nodes.some((x) => x.notAnswered) && <Table.Td>{c.notAnswered ? format.number(c.notAnswered.length) : ''}</Table.Td>}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <CursorPager cursors={cursors} pageInfo={connection?.pageInfo} onChange={(next) => change({ cursors: next })} previousLabel={t('submissionDesk.list.previous')} nextLabel={t('submissionDesk.list.next')} />
      {canWrite && <OpenCallForm opened={opening} onClose={close} />}
    </Stack>
  );
}
