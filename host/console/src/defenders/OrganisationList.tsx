import { Anchor, Badge, Button, Checkbox, Group, Paper, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { useForm } from '@mantine/form';
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useClient, useMutation, useQuery } from 'urql';
import { CaseFormModal } from '../cases/CaseFormModal';
import { countryName, countryOptions } from '../cases/countries';
import { formatDay } from '../cases/partialDate';
import { levelColor, levels } from '../cases/vocabulary';
import type { Confidentiality, OrganisationDetailsFragment } from '../gql/graphql';
import { useFormat } from '../i18n/format';
import {
  DefenderDeskMeQuery,
  OrganisationListQuery,
  OrganisationNodeQuery,
  RegisterOrganisationMutation,
  SetNetworkMembershipMutation,
  UpdateOrganisationMutation,
} from './documents';
import { writingRoles } from './vocabulary';
import { CursorPager } from '../common/CursorPager';

const pageSize = 25;
const labelPrefix = 'defenderDesk.form';
type OpenForm = { kind: 'register' } | { kind: 'update' | 'membership'; organisation: OrganisationDetailsFragment } | null;

/** /console/defenders/organisations — network members and other NGOs: filters (country, membership, text) and page in the URL. */
export function OrganisationList() {
  const { t } = useTranslation();
  const format = useFormat();
  const locale = format.locale;
  const [params, setParams] = useSearchParams();
  const countries = params.getAll('country');
  const member = params.get('member');
  const text = params.get('q') ?? '';
  const cursors = params.getAll('after');
  const [typed, setTyped] = useState(text);
  const [form, setForm] = useState<OpenForm>(null);
  const [{ data: me }] = useQuery({ query: DefenderDeskMeQuery });
  const canWrite = writingRoles.includes(me?.me.role ?? '');
  const [{ data, error }] = useQuery({
    query: OrganisationListQuery,
    variables: {
      filter: {
        countries: countries.length ? countries : null,
        networkMember: member === 'yes' ? true : member === 'no' ? false : null,
        text: text || null,
      },
      first: pageSize,
      after: cursors.at(-1) ?? null,
    },
  });
  const countryList = useMemo(() => countryOptions(locale), [locale]);
  const change = (next: { countries?: string[]; member?: string | null; text?: string; cursors?: string[] }) => {
    const out = new URLSearchParams();
    (next.countries ?? countries).forEach((c) => out.append('country', c));
    const m = next.member === undefined ? member : next.member;
    if (m) out.set('member', m);
    const q = next.text ?? text;
    if (q) out.set('q', q);
    (next.cursors ?? []).forEach((c) => out.append('after', c));
    setParams(out);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    change({ text: typed.trim() });
  };
  const connection = data?.organisations;
  const close = () => setForm(null);

  return (
    <Stack gap="md">
      <Anchor component={Link} to="/defenders">
        {t('defenderDesk.organisations.back')}
      </Anchor>
      <Group justify="space-between">
        <Title order={1}>{t('defenderDesk.organisations.title')}</Title>
        {canWrite && <Button onClick={() => setForm({ kind: 'register' })}>{t('defenderDesk.organisations.register')}</Button>}
      </Group>
      <Paper withBorder p="md" component="section" aria-labelledby="organisation-filters">
        <Title order={2} size="h4" id="organisation-filters" mb="sm">
          {t('defenderDesk.organisations.filters')}
        </Title>
        <form onSubmit={submit} role="search">
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <Select
              label={t('defenderDesk.list.countries')}
              data={countryList}
              value={countries[0] ?? null}
              onChange={(value) => change({ countries: value ? [value] : [] })}
              searchable
              clearable
            />
            <Select
              label={t('defenderDesk.organisations.members')}
              data={[
                { value: 'all', label: t('defenderDesk.organisations.all') },
                { value: 'yes', label: t('defenderDesk.organisations.onlyMembers') },
                { value: 'no', label: t('defenderDesk.organisations.notMembers') },
              ]}
              value={member ?? 'all'}
              onChange={(value) => change({ member: value === 'all' ? null : value })}
              allowDeselect={false}
            />
            <Group align="flex-end" wrap="nowrap">
              <TextInput label={t('defenderDesk.organisations.text')} value={typed} onChange={(e) => setTyped(e.currentTarget.value)} style={{ flex: 1 }} />
              <Button type="submit" variant="default">
                {t('defenderDesk.organisations.search')}
              </Button>
            </Group>
          </SimpleGrid>
        </form>
      </Paper>
      <Text size="sm" aria-live="polite">
        {connection ? t('defenderDesk.organisations.count', { count: connection.totalCount, formatted: format.number(connection.totalCount) }) : ''}
      </Text>
      {error && !connection ? (
        <Text role="alert">{error.graphQLErrors[0]?.message ?? error.message}</Text>
      ) : connection && connection.nodes.length === 0 ? (
        <Text py="lg">{t('defenderDesk.organisations.empty')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table striped data-testid="organisations-table">
            <Table.Caption>{t('defenderDesk.organisations.caption')}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('defenderDesk.organisations.name')}</Table.Th>
                <Table.Th scope="col">{t('defenderDesk.organisations.country')}</Table.Th>
                <Table.Th scope="col">{t('defenderDesk.organisations.member')}</Table.Th>
                <Table.Th scope="col">{t('defenderDesk.organisations.confidentiality')}</Table.Th>
                {canWrite && <Table.Th scope="col">{t('defenderDesk.organisations.actions')}</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {connection?.nodes.map((o) => (
                <Table.Tr key={o.id}>
                  <Table.Td>{o.name}</Table.Td>
                  <Table.Td>{countryName(o.country.code, locale)}</Table.Td>
                  <Table.Td>
                    {o.networkMember
                      ? o.memberSince
                        ? t('defenderDesk.organisations.memberSince', { date: formatDay(o.memberSince, locale) })
                        : t('defenderDesk.organisations.member')
                      : t('defenderDesk.organisations.notMember')}
                  </Table.Td>
                  <Table.Td>
                    <Badge color={levelColor[o.confidentiality]}>{t(`clearance.${o.confidentiality}`)}</Badge>
                  </Table.Td>
                  {canWrite && (
                    <Table.Td>
                      <Group gap={4} wrap="nowrap">
                        <Button
                          size="compact-xs"
                          variant="subtle"
                          aria-label={t('defenderDesk.organisations.updateLabel', { name: o.name })}
                          onClick={() => setForm({ kind: 'update', organisation: o })}
                        >
                          {t('defenderDesk.organisations.update')}
                        </Button>
                        <Button
                          size="compact-xs"
                          variant="subtle"
                          aria-label={t('defenderDesk.organisations.membershipLabel', { name: o.name })}
                          onClick={() => setForm({ kind: 'membership', organisation: o })}
                        >
                          {t('defenderDesk.organisations.membership')}
                        </Button>
                      </Group>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <CursorPager cursors={cursors} pageInfo={connection?.pageInfo} onChange={(next) => change({ cursors: next })} previousLabel={t('defenderDesk.list.previous')} nextLabel={t('defenderDesk.list.next')} />
      {canWrite && (
        <>
          <RegisterOrganisationForm opened={form?.kind === 'register'} onClose={close} />
          <UpdateOrganisationForm opened={form?.kind === 'update'} onClose={close} organisation={form?.kind === 'update' ? form.organisation : null} />
          <MembershipForm opened={form?.kind === 'membership'} onClose={close} organisation={form?.kind === 'membership' ? form.organisation : null} />
        </>
      )}
    </Stack>
  );
}

function useLevelOptions(withDefault: boolean) {
  const { t } = useTranslation();
  const [{ data: me }] = useQuery({ query: DefenderDeskMeQuery });
  const clearance = me?.me.clearance ?? 'STAFF';
  return [
    ...(withDefault ? [{ value: '', label: t('defenderDesk.form.confidentialityDefault') }] : []),
    ...levels.filter((l) => levels.indexOf(l) <= levels.indexOf(clearance)).map((l) => ({ value: l, label: t(`clearance.${l}`) })),
  ];
}

function useOrganisationReload(id: string | undefined) {
  const client = useClient();
  return async () => {
    if (!id) return undefined;
    const result = await client.query(OrganisationNodeQuery, { id }, { requestPolicy: 'network-only' }).toPromise();
    const node = result.data?.node;
    return node && 'version' in node ? node.version : undefined;
  };
}

function RegisterOrganisationForm({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const [, register] = useMutation(RegisterOrganisationMutation);
  const countries = useMemo(() => countryOptions(i18n.language), [i18n.language]);
  const levelOptions = useLevelOptions(true);
  const form = useForm({
    mode: 'controlled',
    initialValues: { name: '', countryCode: '', networkMember: false, memberSince: '' as string | null, confidentiality: '' },
    validate: {
      name: (v) => (v.trim() ? null : t('defenderDesk.form.required')),
      countryCode: (v) => (v ? null : t('defenderDesk.form.required')),
    },
  });
  return (
    <CaseFormModal
      opened={opened}
      onClose={onClose}
      title={t('defenderDesk.organisations.register')}
      form={form}
      labelPrefix={labelPrefix}
      send={(v, ids) =>
        register({
          input: {
            clientMutationId: ids.clientMutationId,
            name: v.name.trim(),
            countryCode: v.countryCode,
            networkMember: v.networkMember,
            memberSince: v.networkMember ? v.memberSince || null : null,
            confidentiality: (v.confidentiality || null) as Confidentiality | null,
          },
        })
      }
    >
      <TextInput label={t('defenderDesk.organisations.name')} withAsterisk data-autofocus {...form.getInputProps('name')} />
      <Select label={t('defenderDesk.organisations.country')} withAsterisk searchable data={countries} {...form.getInputProps('countryCode')} />
      <Checkbox label={t('defenderDesk.organisations.join')} {...form.getInputProps('networkMember', { type: 'checkbox' })} />
      <DateInput
        label={t('defenderDesk.organisations.memberSinceField')}
        description={t('defenderDesk.organisations.memberSinceHint')}
        valueFormat="YYYY-MM-DD"
        clearable
        disabled={!form.getValues().networkMember}
        {...form.getInputProps('memberSince')}
      />
      <Select label={t('defenderDesk.organisations.confidentiality')} data={levelOptions} allowDeselect={false} {...form.getInputProps('confidentiality')} />
    </CaseFormModal>
  );
}

function UpdateOrganisationForm({ opened, onClose, organisation }: { opened: boolean; onClose: () => void; organisation: OrganisationDetailsFragment | null }) {
  const { t, i18n } = useTranslation();
  const [, update] = useMutation(UpdateOrganisationMutation);
  const reload = useOrganisationReload(organisation?.id);
  const countries = useMemo(() => countryOptions(i18n.language), [i18n.language]);
  const levelOptions = useLevelOptions(false);
  const initial = () => ({
    name: organisation?.name ?? '',
    countryCode: organisation?.country.code ?? '',
    confidentiality: (organisation?.confidentiality ?? 'STAFF') as string,
  });
  const form = useForm({ mode: 'controlled', initialValues: initial() });
  return (
    <CaseFormModal
      opened={opened}
      onClose={onClose}
      title={`${t('defenderDesk.organisations.update')} — ${organisation?.name ?? ''}`}
      form={form}
      initialValues={initial}
      subject={organisation?.id}
      expectedVersion={organisation?.version}
      reload={reload}
      labelPrefix={labelPrefix}
      send={(v, ids) => {
        const was = initial();
        return update({
          input: {
            ...ids,
            organisationId: organisation?.id ?? '',
            name: v.name.trim() !== was.name ? v.name.trim() : null,
            countryCode: v.countryCode !== was.countryCode ? v.countryCode : null,
            confidentiality: v.confidentiality !== was.confidentiality ? (v.confidentiality as Confidentiality) : null,
          },
        });
      }}
    >
      <TextInput label={t('defenderDesk.organisations.name')} data-autofocus {...form.getInputProps('name')} />
      <Select label={t('defenderDesk.organisations.country')} searchable allowDeselect={false} data={countries} {...form.getInputProps('countryCode')} />
      <Select label={t('defenderDesk.organisations.confidentiality')} data={levelOptions} allowDeselect={false} {...form.getInputProps('confidentiality')} />
    </CaseFormModal>
  );
}

function MembershipForm({ opened, onClose, organisation }: { opened: boolean; onClose: () => void; organisation: OrganisationDetailsFragment | null }) {
  const { t } = useTranslation();
  const [, set] = useMutation(SetNetworkMembershipMutation);
  const reload = useOrganisationReload(organisation?.id);
  const initial = () => ({ member: !organisation?.networkMember, since: '' as string | null });
  const form = useForm({ mode: 'controlled', initialValues: initial() });
  return (
    <CaseFormModal
      opened={opened}
      onClose={onClose}
      title={`${t('defenderDesk.organisations.membership')} — ${organisation?.name ?? ''}`}
      form={form}
      initialValues={initial}
      subject={organisation?.id}
      expectedVersion={organisation?.version}
      reload={reload}
      labelPrefix={labelPrefix}
      send={(v, ids) =>
        set({ input: { ...ids, organisationId: organisation?.id ?? '', member: v.member, since: v.member ? v.since || null : null } })
      }
    >
      <Checkbox label={t('defenderDesk.organisations.networkMember')} data-autofocus {...form.getInputProps('member', { type: 'checkbox' })} />
      <DateInput
        label={t('defenderDesk.organisations.memberSinceField')}
        description={t('defenderDesk.organisations.memberSinceHint')}
        valueFormat="YYYY-MM-DD"
        clearable
        disabled={!form.getValues().member}
        {...form.getInputProps('since')}
      />
    </CaseFormModal>
  );
}
