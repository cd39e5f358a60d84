import { Alert, Badge, Button, Code, CopyButton, Group, Modal, Stack, Table, Text, Title } from '@mantine/core';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import { newClientMutationId, problemOf } from '../common/mutationErrors';
import { useFormat } from '../i18n/format';
import { ApiRefusal } from './common';
import { PauseWebhookMutation, ResumeWebhookMutation, RotateWebhookSecretMutation, WebhooksQuery } from './queries';

type Action = 'pause' | 'resume' | 'retry' | 'rotate';

/**
 * Webhooks and their deliveries: every webhook within the admin's clearance with its status, the batch being delivered
 * and the last attempts; pause, resume, retry a failing delivery now (resumeWebhook: the same delivery, at once), rotate
 * the secret (shown once). Each action sends the webhook's version (a stale one is CONFLICT: reload).
 */
export function WebhooksTab() {
  const { t } = useTranslation();
  const format = useFormat();
  const [{ data, error, fetching }, reload] = useQuery({ query: WebhooksQuery, variables: { first: 100 } });
  const [, pause] = useMutation(PauseWebhookMutation);
  const [, resume] = useMutation(ResumeWebhookMutation);
  const [, rotate] = useMutation(RotateWebhookSecretMutation);
  const [secret, setSecret] = useState<{ name: string; secret: string } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const ids = useRef(new Map<string, string>());
  const refresh = () => reload({ requestPolicy: 'network-only' });

  if (error) {
    return <ApiRefusal error={error} />;
  }

  const act = async (action: Action, webhook: { id: string; name: string; version: number }) => {
    setProblem(null);
    // One clientMutationId per submission: the same action on the same version, sent again, is the same submission.
    const submission = `${action}:${webhook.id}:${webhook.version}`;
    const clientMutationId = ids.current.get(submission) ?? newClientMutationId();
    ids.current.set(submission, clientMutationId);
    const input = { webhookId: webhook.id, expectedVersion: webhook.version, clientMutationId };
    const result = action === 'pause' ? await pause({ input }) : action === 'rotate' ? await rotate({ input }) : await resume({ input });
    if (result.error) {
      const found = problemOf(result.error);
      setProblem(found.kind === 'conflict' ? t('admin.webhooks.conflict', { name: webhook.name }) : found.message);
      refresh();
      return;
    }
    if (action === 'rotate' && result.data && 'rotateWebhookSecret' in result.data) {
      setSecret({ name: webhook.name, secret: result.data.rotateWebhookSecret.secret });
    }
    refresh();
  };

  const webhooks = data?.webhooks.nodes ?? [];
  return (
    <Stack gap="sm">
      <Title order={2}>{t('admin.webhooks.title', { count: data?.webhooks.totalCount ?? 0 })}</Title>
      {problem && (
        <Alert role="alert" color="red">
          {problem}
        </Alert>
      )}
      {webhooks.length === 0 && !fetching && <Text>{t('admin.webhooks.none')}</Text>}
      {webhooks.map((webhook) => (
        <Stack key={webhook.id} gap="xs" data-testid="admin-webhook" data-name={webhook.name}>
          <Group justify="space-between">
            <Title order={3} size="h4">
              {webhook.name}{' '}
              <Badge color={webhook.status === 'ACTIVE' ? 'teal.9' : webhook.status === 'FAILING' ? '#9c3d00' : 'gray.8'} data-testid="webhook-status">
                {t(`admin.webhooks.status.${webhook.status}`)}
              </Badge>
            </Title>
            <Group gap="xs">
              {webhook.status === 'FAILING' && webhook.pendingDelivery && (
                <Button size="compact-sm" onClick={() => void act('retry', webhook)}>{t('admin.webhooks.retry')}</Button>
              )}
              {webhook.status === 'PAUSED' ? (
                <Button size="compact-sm" onClick={() => void act('resume', webhook)}>{t('admin.webhooks.resume')}</Button>
              ) : (
                <Button size="compact-sm" variant="default" onClick={() => void act('pause', webhook)}>{t('admin.webhooks.pause')}</Button>
              )}
              <Button size="compact-sm" variant="default" onClick={() => void act('rotate', webhook)}>{t('admin.webhooks.rotate')}</Button>
            </Group>
          </Group>
          <Text size="sm">
            <Code>{webhook.url}</Code> · {t('admin.webhooks.deliversAs', { name: webhook.deliversAs.name, clearance: t(`clearance.${webhook.deliversAs.clearance}`) })}
            {' · '}
            {webhook.entityTypes.length ? webhook.entityTypes.join(', ') : t('admin.webhooks.allTypes')}
          </Text>
          {webhook.status === 'PAUSED' && webhook.pauseCause && (
            <Text size="sm">{t(`admin.webhooks.cause.${webhook.pauseCause}`)}{webhook.pausedReason ? ` — ${webhook.pausedReason}` : ''}</Text>
          )}
          <Text size="sm">
            {t('admin.webhooks.delivered', { batches: format.number(webhook.deliveredBatches), last: webhook.lastDeliveredAt ? format.dateTime(webhook.lastDeliveredAt) : t('admin.never') })}
            {webhook.pendingDelivery &&
              ` · ${t('admin.webhooks.pending', { changes: format.number(webhook.pendingDelivery.changes), attempts: format.number(webhook.pendingDelivery.attempts) })}`}
            {webhook.nextRetryAt && ` · ${t('admin.webhooks.nextRetry', { at: format.dateTime(webhook.nextRetryAt) })}`}
          </Text>
          {webhook.lastAttempts.length > 0 && (
            <Table striped>
              <caption>{t('admin.webhooks.attempts', { name: webhook.name })}</caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('admin.webhooks.at')}</Table.Th>
                  <Table.Th>{t('admin.webhooks.delivery')}</Table.Th>
                  <Table.Th>{t('admin.webhooks.attempt')}</Table.Th>
                  <Table.Th>{t('admin.webhooks.result')}</Table.Th>
                  <Table.Th>{t('admin.webhooks.duration')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {webhook.lastAttempts.map((attempt) => (
                  <Table.Tr key={`${attempt.deliveryId}-${attempt.attempt}`}>
                    <Table.Td>{format.dateTime(attempt.at)}</Table.Td>
                    <Table.Td><Code>{attempt.deliveryId.slice(0, 8)}</Code></Table.Td>
                    <Table.Td>{format.number(attempt.attempt)}</Table.Td>
                    <Table.Td>
                      {attempt.delivered ? t('admin.webhooks.ok', { status: attempt.statusCode ?? '' }) : (attempt.error ?? String(attempt.statusCode ?? ''))}
                    </Table.Td>
                    <Table.Td>{t('admin.ms', { value: format.number(attempt.durationMs) })}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Stack>
      ))}
      {secret && (
        <Modal closeButtonProps={{ 'aria-label': t('admin.close') }} opened onClose={() => setSecret(null)} title={t('admin.webhooks.secretTitle', { name: secret.name })} closeOnClickOutside={false}>
          <Stack gap="sm">
            <Alert color="yellow">{t('admin.webhooks.secretOnce')}</Alert>
            <Code block data-testid="webhook-secret">{secret.secret}</Code>
            <Group justify="flex-end">
              <CopyButton value={secret.secret}>
                {({ copied, copy }) => <Button variant="default" onClick={copy}>{copied ? t('admin.copied') : t('admin.copy')}</Button>}
              </CopyButton>
              <Button onClick={() => setSecret(null)}>{t('admin.keys.stored')}</Button>
            </Group>
          </Stack>
        </Modal>
      )}
    </Stack>
  );
}
