import { Alert, Anchor, Badge, Button, Group, Loader, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useClient, useQuery } from 'urql';
import { levelColor } from '../cases/vocabulary';
import type { Confidentiality, DigestSubscriptionDetailsFragment } from '../gql/graphql';
import { useFormat } from '../i18n/format';
import { AreaNav } from './AreaNav';
import { DigestListQuery, DigestSubscriptionsQuery } from './documents';
import { formatDay } from './labels';
import { SubscriptionActionModal, SubscriptionFormModal, type SubscriptionAction } from './SubscriptionForms';
import { CursorPager } from '../common/CursorPager';

/** /digests: the subscriptions (create, edit, pause/resume, delete) and the digests made. */
export function DigestsPage() {
  const { t } = useTranslation('reports');
  return (
    <>
      <AreaNav />
      <Title order={1} mb="md">
        {t('digests.title')}
      </Title>
      <Stack gap="lg">
        <Subscriptions />
        <StoredDigests />
      </Stack>
    </>
  );
}

function Subscriptions() {
  const { t } = useTranslation('reports');
  const { t: tc } = useTranslation();
  const client = useClient();
  const [{ data, fetching, error }, reexecute] = useQuery({ query: DigestSubscriptionsQuery, variables: { first: 100 } });
  const subscriptions: DigestSubscriptionDetailsFragment[] = data?.digestSubscriptions.nodes ?? [];
  const clearance = (data?.me?.clearance ?? 'STAFF') as Confidentiality;
  const [editing, setEditing] = useState<{ id: string | null } | null>(null);
  const [acting, setActing] = useState<{ action: SubscriptionAction; id: string } | null>(null);
  const find = (id: string | null | undefined): DigestSubscriptionDetailsFragment | null => subscriptions.find((s) => s.id === id) ?? null;
  const refresh = () => reexecute({ requestPolicy: 'network-only' });
  const reloadVersion = (id: string | undefined) => async () => {
    const result = await client.query(DigestSubscriptionsQuery, { first: 100 }, { requestPolicy: 'network-only' }).toPromise();
    return result.data?.digestSubscriptions.nodes.find((s) => s.id === id)?.version;
  };

  return (
    <Paper component="section" withBorder p="md" radius="md" aria-labelledby="subscriptions-title">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h3" id="subscriptions-title">
          {t('digests.subscriptions')}
        </Title>
        <Button onClick={() => setEditing({ id: null })} data-testid="create-subscription">
          {t('digests.create')}
        </Button>
      </Group>
      <Text c="dimmed" size="sm" mb="sm" maw={720}>
        {t('digests.subscriptionsIntro')}
      </Text>
      {error && !data ? (
        <Alert color="red" role="alert" title={t('loadError')}>
          <Button size="xs" variant="default" onClick={refresh}>
            {t('retry')}
          </Button>
        </Alert>
      ) : !data ? (
        fetching && <Loader aria-label={tc('app.loading')} />
      ) : subscriptions.length === 0 ? (
        <Text>{t('digests.noSubscription')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={820}>
          <Table striped data-testid="subscription-list">
            <caption style={{ textAlign: 'left', captionSide: 'top', fontSize: 'var(--mantine-font-size-sm)' }}>
              {t('digests.subscriptionCount', { count: data.digestSubscriptions.totalCount })}
            </caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('digests.column.name')}</Table.Th>
                <Table.Th scope="col">{t('digests.column.period')}</Table.Th>
                <Table.Th scope="col">{t('digests.column.audience')}</Table.Th>
                <Table.Th scope="col">{t('digests.column.recipients')}</Table.Th>
                <Table.Th scope="col">{t('digests.column.webhook')}</Table.Th>
                <Table.Th scope="col">{t('digests.column.state')}</Table.Th>
                <Table.Th scope="col">{t('digests.column.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {subscriptions.map((s) => (
                <Table.Tr key={s.id} data-subscription={s.name} data-paused={s.paused}>
                  <Table.Th scope="row">{s.name}</Table.Th>
                  <Table.Td>
                    {s.period === 'WEEKLY' ? t('digests.periodWeekly', { weekday: t(`digests.weekday.${s.weekday}`) }) : t('digests.period.DAILY')}
                  </Table.Td>
                  <Table.Td>
                    <Badge color={levelColor[s.audience]} variant="filled">
                      {tc(`clearance.${s.audience}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td style={{ wordBreak: 'break-all' }}>{s.emailRecipients.join(', ')}</Table.Td>
                  <Table.Td style={{ wordBreak: 'break-all' }}>{s.webhookUrl ?? ''}</Table.Td>
                  <Table.Td>
                    <Badge color={s.paused ? 'gray.8' : 'teal.9'} variant="filled" data-testid="subscription-state">
                      {s.paused ? t('digests.state.paused') : t('digests.state.active')}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      <Button size="compact-sm" variant="default" aria-label={t('digests.editOf', { name: s.name })} onClick={() => setEditing({ id: s.id })}>
                        {t('digests.edit')}
                      </Button>
                      {s.paused ? (
                        <Button size="compact-sm" variant="default" aria-label={t('digests.resumeOf', { name: s.name })} onClick={() => setActing({ action: 'resume', id: s.id })}>
                          {t('digests.resume')}
                        </Button>
                      ) : (
                        <Button size="compact-sm" variant="default" aria-label={t('digests.pauseOf', { name: s.name })} onClick={() => setActing({ action: 'pause', id: s.id })}>
                          {t('digests.pause')}
                        </Button>
                      )}
                      <Button size="compact-sm" variant="default" color="red" aria-label={t('digests.deleteOf', { name: s.name })} onClick={() => setActing({ action: 'delete', id: s.id })}>
                        {t('digests.delete')}
                      </Button>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <SubscriptionFormModal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        subscription={find(editing?.id)}
        clearance={clearance}
        reload={reloadVersion(editing?.id ?? undefined)}
        onSaved={refresh}
      />
      <SubscriptionActionModal
        action={acting?.action ?? null}
        subscription={find(acting?.id)}
        onClose={() => setActing(null)}
        reload={reloadVersion(acting?.id)}
        onDone={refresh}
      />
    </Paper>
  );
}

function StoredDigests() {
  const { t } = useTranslation('reports');
  const { t: tc } = useTranslation();
  const format = useFormat();
  const [cursors, setCursors] = useState<string[]>([]);
  const [{ data, fetching, error }, reexecute] = useQuery({ query: DigestListQuery, variables: { first: 20, after: cursors[cursors.length - 1] ?? null } });
  const connection = data?.digests;
  return (
    <Paper component="section" withBorder p="md" radius="md" aria-labelledby="stored-digests-title">
      <Title order={2} size="h3" id="stored-digests-title" mb="xs">
        {t('digests.stored')}
      </Title>
      <Text c="dimmed" size="sm" mb="sm">
        {t('digests.storedIntro')}
      </Text>
      {error && !connection ? (
        <Alert color="red" role="alert" title={t('loadError')}>
          <Button size="xs" variant="default" onClick={() => reexecute({ requestPolicy: 'network-only' })}>
            {t('retry')}
          </Button>
        </Alert>
      ) : !connection ? (
        fetching && <Loader aria-label={tc('app.loading')} />
      ) : connection.nodes.length === 0 ? (
        <Text>{t('digests.noDigest')}</Text>
      ) : (
        <>
          <Table.ScrollContainer minWidth={720}>
            <Table striped data-testid="digest-list">
              <caption style={{ textAlign: 'left', captionSide: 'top', fontSize: 'var(--mantine-font-size-sm)' }}>
                {t('digests.digestCount', { count: connection.totalCount })}
              </caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('digests.digestColumn.subscription')}</Table.Th>
                  <Table.Th scope="col">{t('digests.digestColumn.period')}</Table.Th>
                  <Table.Th scope="col">{t('digests.digestColumn.from')}</Table.Th>
                  <Table.Th scope="col">{t('digests.digestColumn.to')}</Table.Th>
                  <Table.Th scope="col">{t('digests.digestColumn.audience')}</Table.Th>
                  <Table.Th scope="col">{t('digests.digestColumn.generatedAt')}</Table.Th>
                  <Table.Th scope="col">{t('digests.digestColumn.deliveries')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {connection.nodes.map((d) => {
                  const from = formatDay(format.locale, d.from);
                  return (
                    <Table.Tr key={d.id} data-digest-id={d.id}>
                      <Table.Th scope="row">
                        <Anchor component={Link} to={`/digests/${encodeURIComponent(d.id)}`} aria-label={t('digests.openDigest', { name: d.subscriptionName, from })}>
                          {d.subscriptionName}
                        </Anchor>
                      </Table.Th>
                      <Table.Td>{t(`digests.period.${d.period}`)}</Table.Td>
                      <Table.Td>{from}</Table.Td>
                      <Table.Td>{formatDay(format.locale, d.to)}</Table.Td>
                      <Table.Td>{tc(`clearance.${d.audience}`)}</Table.Td>
                      <Table.Td>{format.dateTime(d.generatedAt)}</Table.Td>
                      <Table.Td>
                        {d.deliveries.map((x) => `${t(`digests.channel.${x.channel}`)}: ${t(`digests.deliveryStatus.${x.status}`)}`).join(', ')}
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <CursorPager cursors={cursors} pageInfo={connection.pageInfo} onChange={setCursors} previousLabel={t('previous')} nextLabel={t('next')} size="xs" mt="sm" hideWhenSinglePage />
        </>
      )}
    </Paper>
  );
}
