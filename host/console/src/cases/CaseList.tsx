import {
  Anchor,
  Badge,
  Button,
  Center,
  Group,
  Loader,
  MultiSelect,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { useDisclosure } from '@mantine/hooks';
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import type { CaseEventType, CaseFilter, CaseOrder, CaseStatus } from '../gql/graphql';
import { countryName, countryOptions } from './countries';
import { CaseListQuery, CaseDeskMeQuery } from './documents';
import { OpenCaseForm } from './forms';
import { formatDay } from './partialDate';
import { eventTypes, levelColor, statusColor, statuses } from './vocabulary';
import { CursorPager } from '../common/CursorPager';
import { casesViewDraft } from '../reports/scheduled/drafts';
import { ScheduleViewButton } from '../reports/scheduled/ScheduleViewButton';

const pageSize = 25;
const orders: CaseOrder[] = ['OPENED_ON_DESC', 'OPENED_ON_ASC'];

/**
 * The view in the URL: country, status, type (repeated), from, to, q, order, and `after` — the stack of cursors
 * of the pages before this one (repeated; the last one is this page's `after`). A shared or reloaded link shows the
 * same page of the same view.
 */
function readView(params: URLSearchParams) {
  const order = params.get('order');
  return {
    countries: params.getAll('country'),
    statuses: params.getAll('status').filter((s): s is CaseStatus => (statuses as string[]).includes(s)),
    eventTypes: params.getAll('type').filter((s): s is CaseEventType => (eventTypes as string[]).includes(s)),
    openedFrom: params.get('from') ?? '',
    openedTo: params.get('to') ?? '',
    text: params.get('q') ?? '',
    order: (orders as string[]).includes(order ?? '') ? (order as CaseOrder) : 'OPENED_ON_DESC',
    cursors: params.getAll('after'),
  };
}
type View = ReturnType<typeof readView>;

function writeView(view: View): URLSearchParams {
  const params = new URLSearchParams();
  view.countries.forEach((c) => params.append('country', c));
  view.statuses.forEach((s) => params.append('status', s));
  view.eventTypes.forEach((s) => params.append('type', s));
  if (view.openedFrom) params.set('from', view.openedFrom);
  if (view.openedTo) params.set('to', view.openedTo);
  if (view.text) params.set('q', view.text);
  if (view.order !== 'OPENED_ON_DESC') params.set('order', view.order);
  view.cursors.forEach((c) => params.append('after', c));
  return params;
}

export function CaseList() {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const [params, setParams] = useSearchParams();
  const view = readView(params);
  const [text, setText] = useState(view.text);
  const [opening, { open: openForm, close: closeForm }] = useDisclosure(false);
  const [{ data: me }] = useQuery({ query: CaseDeskMeQuery });
  const canWrite = ['STAFF', 'EDITOR', 'ADMIN', 'SYSTEM'].includes(me?.me.role ?? '');

  const filter: CaseFilter = {
    countries: view.countries.length ? view.countries : null,
    statuses: view.statuses.length ? view.statuses : null,
    eventTypes: view.eventTypes.length ? view.eventTypes : null,
    openedFrom: view.openedFrom || null,
    openedTo: view.openedTo || null,
    text: view.text || null,
  };
  const after = view.cursors.at(-1) ?? null;
  const [{ data, fetching, error }] = useQuery({
    query: CaseListQuery,
    variables: { filter, orderBy: view.order, first: pageSize, after },
  });

  /** A change of filter or order starts again from the first page. */
  const change = (next: Partial<View>) => setParams(writeView({ ...view, ...next, cursors: next.cursors ?? [] }));
  const countries = useMemo(() => countryOptions(locale), [locale]);
  const connection = data?.cases;
  const page = view.cursors.length + 1;

  /** The view in words for a report's name: its countries, statuses, event types, dates and text, or "all cases". */
  const viewSummary = () =>
    [
      view.countries.map((c) => countryName(c, locale)).join(', '),
      view.statuses.map((s) => t(`caseDesk.status.${s}`)).join(', '),
      view.eventTypes.map((s) => t(`caseDesk.eventType.${s}`)).join(', '),
      [view.openedFrom, view.openedTo].filter(Boolean).join(' – '),
      view.text && `“${view.text}”`,
    ]
      .filter(Boolean)
      .join(' · ') || t('caseDesk.list.scheduleAll');

  const submitText = (e: FormEvent) => {
    e.preventDefault();
    change({ text: text.trim() });
  };

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={1}>{t('caseDesk.list.title')}</Title>
        <Group gap="xs">
          {canWrite && (
            <ScheduleViewButton
              label={t('caseDesk.list.schedule')}
              testId="schedule-view"
              views={[{ label: t('caseDesk.list.schedule'), draft: () => casesViewDraft(t('caseDesk.list.scheduleName', { view: viewSummary() }), filter, view.order) }]}
            />
          )}
          {canWrite && <Button onClick={openForm}>{t('caseDesk.list.open')}</Button>}
        </Group>
      </Group>
      <Paper withBorder p="md" component="section" aria-labelledby="case-filters">
        <Title order={2} size="h4" id="case-filters" mb="sm">
          {t('caseDesk.list.filters')}
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
          <MultiSelect
            label={t('caseDesk.list.countries')}
            data={countries}
            value={view.countries}
            onChange={(countries) => change({ countries })}
            searchable
            clearable
          />
          <MultiSelect
            label={t('caseDesk.list.statuses')}
            data={statuses.map((s) => ({ value: s, label: t(`caseDesk.status.${s}`) }))}
            value={view.statuses}
            onChange={(value) => change({ statuses: value as CaseStatus[] })}
            clearable
          />
          <MultiSelect
            label={t('caseDesk.list.eventTypes')}
            data={eventTypes.map((s) => ({ value: s, label: t(`caseDesk.eventType.${s}`) }))}
            value={view.eventTypes}
            onChange={(value) => change({ eventTypes: value as CaseEventType[] })}
            searchable
            clearable
          />
          <DateInput
            label={t('caseDesk.list.openedFrom')}
            value={view.openedFrom || null}
            onChange={(value) => change({ openedFrom: value ?? '' })}
            valueFormat="YYYY-MM-DD"
            clearable
          />
          <DateInput
            label={t('caseDesk.list.openedTo')}
            value={view.openedTo || null}
            onChange={(value) => change({ openedTo: value ?? '' })}
            valueFormat="YYYY-MM-DD"
            clearable
          />
          <Select
            label={t('caseDesk.list.order')}
            data={orders.map((o) => ({ value: o, label: t(`caseDesk.list.${o}`) }))}
            value={view.order}
            onChange={(value) => change({ order: (value as CaseOrder | null) ?? 'OPENED_ON_DESC' })}
            allowDeselect={false}
          />
        </SimpleGrid>
        <form onSubmit={submitText} role="search">
          <Group align="flex-end" mt="sm">
            <TextInput
              label={t('caseDesk.list.text')}
              value={text}
              onChange={(e) => setText(e.currentTarget.value)}
              style={{ flex: 1 }}
              name="q"
            />
            <Button type="submit" variant="default">
              {t('caseDesk.list.search')}
            </Button>
            <Button
              variant="subtle"
              onClick={() => {
                setText('');
                setParams(new URLSearchParams());
              }}
            >
              {t('caseDesk.list.clear')}
            </Button>
          </Group>
        </form>
      </Paper>

      <Group justify="space-between" aria-live="polite">
        <Text size="sm">{connection ? t('caseDesk.list.count', { count: connection.totalCount }) : ''}</Text>
        <Text size="sm">{t('caseDesk.list.page', { page })}</Text>
      </Group>

      {fetching && !connection ? (
        <Center py="xl">
          <Loader aria-label={t('caseDesk.list.loading')} />
        </Center>
      ) : error && !connection ? (
        <Text role="alert">{error.graphQLErrors[0]?.message ?? error.message}</Text>
      ) : connection && connection.nodes.length === 0 ? (
        <Text py="lg" data-testid="cases-empty">
          {t('caseDesk.list.empty')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table striped highlightOnHover data-testid="cases-table">
            <Table.Caption>{t('caseDesk.list.caption')}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('caseDesk.column.reference')}</Table.Th>
                <Table.Th scope="col">{t('caseDesk.column.title')}</Table.Th>
                <Table.Th scope="col">{t('caseDesk.column.country')}</Table.Th>
                <Table.Th scope="col">{t('caseDesk.column.status')}</Table.Th>
                <Table.Th scope="col">{t('caseDesk.column.confidentiality')}</Table.Th>
                <Table.Th scope="col">{t('caseDesk.column.openedOn')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {connection?.nodes.map((c) => (
                <Table.Tr key={c.id} data-case-id={c.id}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <Anchor component={Link} to={`/cases/${encodeURIComponent(c.id)}`}>
                      {c.reference}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{c.title}</Table.Td>
                  <Table.Td>{countryName(c.country.code, locale)}</Table.Td>
                  <Table.Td>
                    <Badge color={statusColor[c.status]}>{t(`caseDesk.status.${c.status}`)}</Badge>
                  </Table.Td>
                  <Table.Td>
                    <Badge color={levelColor[c.confidentiality]}>{t(`clearance.${c.confidentiality}`)}</Badge>
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDay(c.openedOn, locale)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}

      <CursorPager cursors={view.cursors} pageInfo={connection?.pageInfo} onChange={(cursors) => change({ cursors })} previousLabel={t('caseDesk.list.previous')} nextLabel={t('caseDesk.list.next')} />
      {canWrite && <OpenCaseForm opened={opening} onClose={closeForm} />}
    </Stack>
  );
}
