import { Anchor, Badge, Button, Center, Group, Loader, MultiSelect, Paper, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { countryName, countryOptions } from '../cases/countries';
import { levelColor } from '../cases/vocabulary';
import { useOrganisationOptions } from '../common/organisationOptions';
import type { DefenderFilter, RiskLevel, Situation } from '../gql/graphql';
import { useFormat } from '../i18n/format';
import { DefenderDeskMeQuery, DefenderListQuery } from './documents';
import { RegisterDefenderForm } from './forms';
import { atLeast, displayName, riskColor, riskLevels, situationColor, situations, writingRoles } from './vocabulary';
import { CursorPager } from '../common/CursorPager';

const pageSize = 25;

/**
 * The view in the URL: country, situation, risk, org (repeated), q, and `after` — the stack of cursors of the pages
 * before this one (the last one is this page's `after`). A shared or reloaded link shows the same page.
 */
function readView(params: URLSearchParams) {
  return {
    countries: params.getAll('country'),
    situations: params.getAll('situation').filter((s): s is Situation => (situations as string[]).includes(s)),
    riskLevels: params.getAll('risk').filter((s): s is RiskLevel => (riskLevels as string[]).includes(s)),
    organisations: params.getAll('org'),
    text: params.get('q') ?? '',
    cursors: params.getAll('after'),
  };
}
type View = ReturnType<typeof readView>;

function writeView(view: View): URLSearchParams {
  const params = new URLSearchParams();
  view.countries.forEach((c) => params.append('country', c));
  view.situations.forEach((s) => params.append('situation', s));
  view.riskLevels.forEach((s) => params.append('risk', s));
  view.organisations.forEach((s) => params.append('org', s));
  if (view.text) params.set('q', view.text);
  view.cursors.forEach((c) => params.append('after', c));
  return params;
}

export function DefenderList() {
  const { t } = useTranslation();
  const format = useFormat();
  const locale = format.locale;
  const [params, setParams] = useSearchParams();
  const view = readView(params);
  const [text, setText] = useState(view.text);
  const [registering, { open: openForm, close: closeForm }] = useDisclosure(false);
  const [{ data: me }] = useQuery({ query: DefenderDeskMeQuery });
  const canWrite = writingRoles.includes(me?.me.role ?? '');
  // Filtering by risk level needs STAFF clearance (the API refuses it below): the filter is offered from STAFF.
  const seesRisk = atLeast(me?.me.clearance, 'STAFF');
  const organisationOptions = useOrganisationOptions();

  const filter: DefenderFilter = {
    countries: view.countries.length ? view.countries : null,
    situations: view.situations.length ? view.situations : null,
    riskLevels: seesRisk && view.riskLevels.length ? view.riskLevels : null,
    organisationIds: view.organisations.length ? view.organisations : null,
    text: view.text || null,
  };
  const after = view.cursors.at(-1) ?? null;
  const [{ data, fetching, error }] = useQuery({
    query: DefenderListQuery,
    variables: { filter, first: pageSize, after },
  });

  /** A change of filter starts again from the first page. */
  const change = (next: Partial<View>) => setParams(writeView({ ...view, ...next, cursors: next.cursors ?? [] }));
  const countries = useMemo(() => countryOptions(locale), [locale]);
  const connection = data?.defenders;
  const page = view.cursors.length + 1;

  const submitText = (e: FormEvent) => {
    e.preventDefault();
    change({ text: text.trim() });
  };

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={1}>{t('defenderDesk.list.title')}</Title>
        <Group gap="xs">
          <Button component={Link} to="/defenders/organisations" variant="default">
            {t('defenderDesk.list.organisations')}
          </Button>
          {canWrite && <Button onClick={openForm}>{t('defenderDesk.list.register')}</Button>}
        </Group>
      </Group>
      <Paper withBorder p="md" component="section" aria-labelledby="defender-filters">
        <Title order={2} size="h4" id="defender-filters" mb="sm">
          {t('defenderDesk.list.filters')}
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
          <MultiSelect
            label={t('defenderDesk.list.countries')}
            data={countries}
            value={view.countries}
            onChange={(value) => change({ countries: value })}
            searchable
            clearable
          />
          <MultiSelect
            label={t('defenderDesk.list.situations')}
            data={situations.map((s) => ({ value: s, label: t(`defenderDesk.situation.${s}`) }))}
            value={view.situations}
            onChange={(value) => change({ situations: value as Situation[] })}
            clearable
          />
          {seesRisk && (
            <MultiSelect
              label={t('defenderDesk.list.riskLevels')}
              data={riskLevels.map((s) => ({ value: s, label: t(`defenderDesk.risk.${s}`) }))}
              value={view.riskLevels}
              onChange={(value) => change({ riskLevels: value as RiskLevel[] })}
              clearable
            />
          )}
          <MultiSelect
            label={t('defenderDesk.list.organisationsFilter')}
            data={organisationOptions}
            value={view.organisations.filter((o) => organisationOptions.some((option) => option.value === o))}
            onChange={(value) => change({ organisations: value })}
            searchable
            clearable
          />
        </SimpleGrid>
        <form onSubmit={submitText} role="search">
          <Group align="flex-end" mt="sm">
            <TextInput
              label={t('defenderDesk.list.text')}
              value={text}
              onChange={(e) => setText(e.currentTarget.value)}
              style={{ flex: 1 }}
              name="q"
            />
            <Button type="submit" variant="default">
              {t('defenderDesk.list.search')}
            </Button>
            <Button
              variant="subtle"
              onClick={() => {
                setText('');
                setParams(new URLSearchParams());
              }}
            >
              {t('defenderDesk.list.clear')}
            </Button>
          </Group>
        </form>
      </Paper>

      <Group justify="space-between" aria-live="polite">
        <Text size="sm" data-testid="defenders-count">
          {connection ? t('defenderDesk.list.count', { count: connection.totalCount, formatted: format.number(connection.totalCount) }) : ''}
        </Text>
        <Text size="sm">{t('defenderDesk.list.page', { page: format.number(page) })}</Text>
      </Group>

      {fetching && !connection ? (
        <Center py="xl">
          <Loader aria-label={t('defenderDesk.list.loading')} />
        </Center>
      ) : error && !connection ? (
        <Text role="alert">{error.graphQLErrors[0]?.message ?? error.message}</Text>
      ) : connection && connection.nodes.length === 0 ? (
        <Text py="lg" data-testid="defenders-empty">
          {t('defenderDesk.list.empty')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table striped highlightOnHover data-testid="defenders-table">
            <Table.Caption>{t('defenderDesk.list.caption')}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('defenderDesk.column.name')}</Table.Th>
                <Table.Th scope="col">{t('defenderDesk.column.country')}</Table.Th>
                <Table.Th scope="col">{t('defenderDesk.column.situation')}</Table.Th>
                {seesRisk && <Table.Th scope="col">{t('defenderDesk.column.risk')}</Table.Th>}
                <Table.Th scope="col">{t('defenderDesk.column.organisations')}</Table.Th>
                <Table.Th scope="col">{t('defenderDesk.column.confidentiality')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {connection?.nodes.map((d) => {
                const shown = displayName(d, t);
                return (
                  <Table.Tr key={d.id} data-defender-id={d.id}>
                    <Table.Td>
                      <Anchor component={Link} to={`/defenders/${encodeURIComponent(d.id)}`}>
                        {shown.text}
                      </Anchor>
                      {shown.isPseudonym && (
                        <Text component="span" size="sm">
                          {' '}
                          ({t('defenderDesk.display.pseudonym')})
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>{countryName(d.country.code, locale)}</Table.Td>
                    <Table.Td>
                      <Badge color={situationColor[d.situation]}>{t(`defenderDesk.situation.${d.situation}`)}</Badge>
                    </Table.Td>
                    {seesRisk && (
                      <Table.Td>{d.riskLevel ? <Badge color={riskColor[d.riskLevel]}>{t(`defenderDesk.risk.${d.riskLevel}`)}</Badge> : ''}</Table.Td>
                    )}
                    <Table.Td>{d.organisations.map((o) => o.name).join(', ')}</Table.Td>
                    <Table.Td>
                      <Badge color={levelColor[d.confidentiality]}>{t(`clearance.${d.confidentiality}`)}</Badge>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}

      <CursorPager cursors={view.cursors} pageInfo={connection?.pageInfo} onChange={(cursors) => change({ cursors })} previousLabel={t('defenderDesk.list.previous')} nextLabel={t('defenderDesk.list.next')} />
      {canWrite && <RegisterDefenderForm opened={registering} onClose={closeForm} />}
    </Stack>
  );
}
