import { Alert, Button, CopyButton, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import { newClientMutationId, problemOf } from '../common/mutationErrors';
import { useFormat } from '../i18n/format';
import { CalendarFeedQuery, CreateCalendarFeedMutation, RevokeCalendarFeedMutation } from './documents';
import { calendarNamespace } from './i18n';

/**
 * The person's iCalendar feed: a secret URL for their own calendar application, shown once when created (the API keeps
 * only its hash); creating another replaces it, revoking ends it (the URL then answers 404).
 */
export function FeedPanel() {
  const { t } = useTranslation(calendarNamespace);
  const { dateTime } = useFormat();
  const [{ data, fetching }, reload] = useQuery({ query: CalendarFeedQuery, requestPolicy: 'network-only' });
  const [created, create] = useMutation(CreateCalendarFeedMutation);
  const [revoked, revoke] = useMutation(RevokeCalendarFeedMutation);
  const [url, setUrl] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const feed = data?.calendarFeed ?? null;
  const busy = created.fetching || revoked.fetching;

  const onCreate = async () => {
    setMessage(null);
    const result = await create({ input: { clientMutationId: newClientMutationId() } });
    if (result.error) {
      setMessage(problemOf(result.error).kind === 'error' ? (result.error.graphQLErrors[0]?.message ?? t('feed.error')) : t('feed.error'));
      return;
    }
    setUrl(result.data?.createCalendarFeed.url ?? null);
    reload({ requestPolicy: 'network-only' });
  };
  const onRevoke = async () => {
    setMessage(null);
    const result = await revoke({ input: { clientMutationId: newClientMutationId() } });
    if (result.error) {
      setMessage(result.error.graphQLErrors[0]?.message ?? t('feed.error'));
      return;
    }
    setUrl(null);
    setMessage(t('feed.revoked'));
    reload({ requestPolicy: 'network-only' });
  };

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="calendar-feed" data-testid="calendar-feed">
      <Title order={2} size="h4" id="calendar-feed" mb="xs">
        {t('feed.title')}
      </Title>
      <Stack gap="sm">
        <Text size="sm">{t('feed.explain')}</Text>
        {url ? (
          <>
            <Alert color="yellow" variant="light">
              {t('feed.once')}
            </Alert>
            <Group align="flex-end" wrap="nowrap">
              <TextInput label={t('feed.url')} value={url} readOnly style={{ flex: 1 }} onFocus={(e) => e.currentTarget.select()} data-testid="calendar-feed-url" />
              <CopyButton value={url}>
                {({ copied, copy }) => (
                  <Button variant="default" onClick={copy}>
                    {copied ? t('feed.copied') : t('feed.copy')}
                  </Button>
                )}
              </CopyButton>
            </Group>
          </>
        ) : feed ? (
          <Text size="sm" data-testid="calendar-feed-active">
            {t('feed.active', { date: dateTime(feed.createdAt), prefix: feed.prefix })}
          </Text>
        ) : (
          !fetching && (
            <Text size="sm" c="dimmed" data-testid="calendar-feed-none">
              {t('feed.none')}
            </Text>
          )
        )}
        {message && (
          <Text size="sm" role="status">
            {message}
          </Text>
        )}
        <Group>
          <Button onClick={onCreate} loading={created.fetching} disabled={busy}>
            {feed ? t('feed.replace') : t('feed.create')}
          </Button>
          {feed && (
            <Button color="red" variant="light" onClick={onRevoke} loading={revoked.fetching} disabled={busy}>
              {t('feed.revoke')}
            </Button>
          )}
        </Group>
      </Stack>
    </Paper>
  );
}
