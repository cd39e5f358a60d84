import { Alert, Anchor, Badge, Button, Group, Loader, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useQuery } from 'urql';
import { levelColor } from '../cases/vocabulary';
import { useFormat } from '../i18n/format';
import { AreaNav } from './AreaNav';
import { DigestListQuery } from './documents';
import { formatDay } from './labels';

/** One stored digest: its sections and items as composed for its audience, and its deliveries with their failures. */
export function DigestPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation('reports');
  const { t: tc } = useTranslation();
  const format = useFormat();
  // Digests have no node(id): the page reads the digests, 20 at a time as the list does (the API's cost limit refuses
  // 100 digests with their sections and deliveries), until it meets its own.
  const [after, setAfter] = useState<string | null>(null);
  const [{ data, fetching, error }, reexecute] = useQuery({ query: DigestListQuery, variables: { first: 20, after } });
  const connection = data?.digests;
  const digest = connection?.nodes.find((d) => d.id === id);
  useEffect(() => {
    if (connection && !digest && connection.pageInfo.hasNextPage && connection.pageInfo.endCursor) {
      setAfter(connection.pageInfo.endCursor);
    }
  }, [connection, digest]);

  if (error && !connection) {
    return (
      <>
        <AreaNav />
        <Alert color="red" role="alert" title={t('loadError')}>
          <Button size="xs" variant="default" onClick={() => reexecute({ requestPolicy: 'network-only' })}>
            {t('retry')}
          </Button>
        </Alert>
      </>
    );
  }
  if (!digest) {
    return (
      <>
        <AreaNav />
        {fetching || !connection || connection.pageInfo.hasNextPage ? (
          <Loader aria-label={tc('app.loading')} />
        ) : (
          <Stack align="flex-start">
            <Title order={1}>{t('digests.title')}</Title>
            <Alert color="gray">{t('digests.digestNotFound')}</Alert>
            <Anchor component={Link} to="/digests">
              {t('digests.backToDigests')}
            </Anchor>
          </Stack>
        )}
      </>
    );
  }

  return (
    <>
      <AreaNav />
      <Anchor component={Link} to="/digests" size="sm">
        ← {t('digests.backToDigests')}
      </Anchor>
      <Title order={1} mt="xs" data-testid="digest-title">
        {t('digests.digestTitle', { name: digest.subscriptionName })}
      </Title>
      <Group gap="xs" mb="md">
        <Badge color={levelColor[digest.audience]} variant="filled">
          {tc(`clearance.${digest.audience}`)}
        </Badge>
        <Text size="sm" c="dimmed">
          {t('digests.digestMeta', {
            period: t(`digests.period.${digest.period}`),
            from: formatDay(format.locale, digest.from),
            to: formatDay(format.locale, digest.to),
            audience: tc(`clearance.${digest.audience}`),
            date: format.dateTime(digest.generatedAt),
          })}
        </Text>
      </Group>
      <Stack gap="md">
        {digest.sections.map((section) => (
          <Paper key={section.kind} component="section" withBorder p="md" radius="md" aria-labelledby={`section-${section.kind}`} data-testid={`digest-section-${section.kind}`}>
            <Title order={2} size="h4" id={`section-${section.kind}`} mb="xs">
              {t(`digests.section.${section.kind}`, { defaultValue: section.title })}
            </Title>
            {section.items.length === 0 ? (
              <Text c="dimmed" size="sm">
                {t('digests.sectionEmpty')}
              </Text>
            ) : (
              <Stack gap={6} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
                {section.items.map((item, i) => (
                  <li key={i}>
                    <Text size="sm" fw={600} span>
                      {item.date ? `${item.date} · ` : ''}
                      {item.reference ? `${item.reference} · ` : ''}
                      {item.title}
                    </Text>
                    {item.text && (
                      <Text size="sm" c="dimmed">
                        {item.text}
                      </Text>
                    )}
                  </li>
                ))}
              </Stack>
            )}
            {section.totalCount > section.items.length && (
              <Text size="sm" mt="xs">
                {t('digests.moreInPlatform', { count: section.totalCount - section.items.length })}
              </Text>
            )}
          </Paper>
        ))}
        <Paper component="section" withBorder p="md" radius="md" aria-labelledby="digest-deliveries">
          <Title order={2} size="h4" id="digest-deliveries" mb="xs">
            {t('digests.deliveries')}
          </Title>
          {digest.deliveries.length === 0 ? (
            <Text size="sm">{t('digests.noDelivery')}</Text>
          ) : (
            <Table.ScrollContainer minWidth={640}>
              <Table striped>
                <caption style={{ textAlign: 'left', captionSide: 'top', fontSize: 'var(--mantine-font-size-sm)' }}>{t('digests.deliveriesCaption')}</caption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t('digests.deliveryColumn.channel')}</Table.Th>
                    <Table.Th scope="col">{t('digests.deliveryColumn.target')}</Table.Th>
                    <Table.Th scope="col">{t('digests.deliveryColumn.status')}</Table.Th>
                    <Table.Th scope="col">{t('digests.deliveryColumn.attempts')}</Table.Th>
                    <Table.Th scope="col">{t('digests.deliveryColumn.lastError')}</Table.Th>
                    <Table.Th scope="col">{t('digests.deliveryColumn.when')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {digest.deliveries.map((d) => (
                    <Table.Tr key={d.id}>
                      <Table.Td>{t(`digests.channel.${d.channel}`)}</Table.Td>
                      <Table.Td style={{ wordBreak: 'break-all' }}>{d.target}</Table.Td>
                      <Table.Td>{t(`digests.deliveryStatus.${d.status}`)}</Table.Td>
                      <Table.Td>{format.number(d.attempts)}</Table.Td>
                      <Table.Td>{d.lastError ?? ''}</Table.Td>
                      <Table.Td>{d.deliveredAt ? format.dateTime(d.deliveredAt) : d.nextAttemptAt ? format.dateTime(d.nextAttemptAt) : ''}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </Paper>
      </Stack>
    </>
  );
}
