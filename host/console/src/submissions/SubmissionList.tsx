import { Anchor, Badge, Button, Center, Group, Loader, MultiSelect, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { countryName, countryOptions } from '../cases/countries';
import { formatDay } from '../cases/partialDate';
import type { Mechanism, SubmissionFilter, SubmissionStatus } from '../gql/graphql';
import { useFormat } from '../i18n/format';
import { SubmissionDeskMeQuery, SubmissionListQuery } from './documents';
import { PlanSubmissionForm } from './forms';
import { mechanisms, stageColor, stages } from './vocabulary';
import { wordLimitState } from './wordCount';
import { CursorPager } from '../common/CursorPager';

const pageSize = 25;

/** The view in the URL: mechanism, stage, country (each repeated) and `after` — the cursors of the pages before this one. */
function readView(params: URLSearchParams) {
  return {
    mechanisms: params.getAll('mechanism').filter((m): m is Mechanism => (mechanisms as string[]).includes(m)),
    stages: params.getAll('stage').filter((s): s is SubmissionStatus => (stages as string[]).includes(s)),
    countries: params.getAll('country'),
    cursors: params.getAll('after'),
  };
}
type View = ReturnType<typeof readView>;

function writeView(view: View): URLSearchParams {
  const params = new URLSearchParams();
  view.mechanisms.forEach((m) => params.append('mechanism', m));
  view.stages.forEach((s) => params.append('stage', s));
  view.countries.forEach((c) => params.append('country', c));
  view.cursors.forEach((c) => params.append('after', c));
  return params;
}

export const canWriteRoles = ['STAFF', 'EDITOR', 'ADMIN', 'SYSTEM'];

export function SubmissionList() {
  const { t } = useTranslation();
  const format = useFormat();
  const locale = format.locale;
  const [params, setParams] = useSearchParams();
  const view = readView(params);
  const [planning, { open: openPlan, close: closePlan }] = useDisclosure(false);
  const [{ data: me }] = useQuery({ query: SubmissionDeskMeQuery });
  const canWrite = canWriteRoles.includes(me?.me.role ?? '');
  const filter: SubmissionFilter = {
    mechanisms: view.mechanisms.length ? view.mechanisms : null,
    statuses: view.stages.length ? view.stages : null,
    countries: view.countries.length ? view.countries : null,
  };
  const after = view.cursors.at(-1) ?? null;
  const [{ data, fetching, error }] = useQuery({ query: SubmissionListQuery, variables: { filter, first: pageSize, after } });
  const change = (next: Partial<View>) => setParams(writeView({ ...view, ...next, cursors: next.cursors ?? [] }));
  const countries = useMemo(() => countryOptions(locale), [locale]);
  const connection = data?.submissions;

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={2}>{t('submissionDesk.list.title')}</Title>
        {canWrite && <Button onClick={openPlan}>{t('submissionDesk.form.plan')}</Button>}
      </Group>
      <Paper withBorder p="md" component="section" aria-labelledby="submission-filters">
        <Title order={3} size="h4" id="submission-filters" mb="sm">
          {t('submissionDesk.list.filters')}
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <MultiSelect
            label={t('submissionDesk.list.mechanisms')}
            data={mechanisms.map((m) => ({ value: m, label: t(`submissionDesk.mechanism.${m}`) }))}
            value={view.mechanisms}
            onChange={(value) => change({ mechanisms: value as Mechanism[] })}
            clearable
          />
          <MultiSelect
            label={t('submissionDesk.list.stages')}
            data={stages.map((s) => ({ value: s, label: t(`submissionDesk.stage.${s}`) }))}
            value={view.stages}
            onChange={(value) => change({ stages: value as SubmissionStatus[] })}
            clearable
          />
          <MultiSelect
            label={t('submissionDesk.list.countries')}
            data={countries}
            value={view.countries}
            onChange={(value) => change({ countries: value })}
            searchable
            clearable
          />
        </SimpleGrid>
      </Paper>

      <Group justify="space-between" aria-live="polite">
        <Text size="sm">{connection ? t('submissionDesk.list.count', { count: connection.totalCount, formatted: format.number(connection.totalCount) }) : ''}</Text>
        <Text size="sm">{t('submissionDesk.list.page', { page: view.cursors.length + 1 })}</Text>
      </Group>

      {fetching && !connection ? (
        <Center py="xl">
          <Loader aria-label={t('submissionDesk.list.loading')} />
        </Center>
      ) : error && !connection ? (
        <Text role="alert">{error.graphQLErrors[0]?.message ?? error.message}</Text>
      ) : connection && connection.nodes.length === 0 ? (
        <Text py="lg" data-testid="submissions-empty">
          {t('submissionDesk.list.empty')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={760}>
          <Table striped highlightOnHover data-testid="submissions-table">
            <Table.Caption>{t('submissionDesk.list.caption')}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('submissionDesk.column.title')}</Table.Th>
                <Table.Th scope="col">{t('submissionDesk.column.mechanism')}</Table.Th>
                <Table.Th scope="col">{t('submissionDesk.column.country')}</Table.Th>
                <Table.Th scope="col">{t('submissionDesk.column.stage')}</Table.Th>
                <Table.Th scope="col">{t('submissionDesk.column.dueOn')}</Table.Th>
                <Table.Th scope="col">{t('submissionDesk.column.words')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {connection?.nodes.map((s) => (
                <Table.Tr key={s.id} data-submission-id={s.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/submissions/${encodeURIComponent(s.id)}`}>
                      {s.title}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{t(`submissionDesk.mechanism.${s.mechanism}`)}</Table.Td>
                  <Table.Td>{countryName(s.country.code, locale)}</Table.Td>
                  <Table.Td>
                    <Badge color={stageColor[s.status]}>{t(`submissionDesk.stage.${s.status}`)}</Badge>
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDay(s.dueOn, locale)}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    {s.wordCount == null
                      ? '—'
                      : s.wordLimit == null
                        ? format.number(s.wordCount)
                        : t('submissionDesk.list.wordsOfLimit', { count: format.number(s.wordCount), limit: format.number(s.wordLimit) })}
                    {wordLimitState(s.wordCount ?? 0, s.wordLimit) === 'over' && (
                      <Badge ml="xs" color="red.9" size="sm">
                        {t('submissionDesk.editor.overBadge')}
                      </Badge>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}

      <CursorPager cursors={view.cursors} pageInfo={connection?.pageInfo} onChange={(cursors) => change({ cursors })} previousLabel={t('submissionDesk.list.previous')} nextLabel={t('submissionDesk.list.next')} />
      {canWrite && <PlanSubmissionForm opened={planning} onClose={closePlan} />}
    </Stack>
  );
}
