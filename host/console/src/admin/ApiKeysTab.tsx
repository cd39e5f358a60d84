import { Alert, Button, Checkbox, Code, CopyButton, Group, Modal, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import { formFieldOf, newClientMutationId, problemOf } from '../common/mutationErrors';
import { useFormat } from '../i18n/format';
import { ShellMeQuery } from '../shell/ShellMe';
import { ApiRefusal, Level, clearancesUpTo, roles } from './common';
import { ApiKeysQuery, CreateApiKeyMutation, RevokeApiKeyMutation } from './queries';

/**
 * API keys: the keys within the admin's clearance; create one (the key is shown once, in a dialog with a copy button,
 * held only in this component's state: never stored in the browser), revoke one.
 */
export function ApiKeysTab() {
  const { t } = useTranslation();
  const format = useFormat();
  const [{ data, error, fetching }, reload] = useQuery({ query: ApiKeysQuery, variables: { first: 100 } });
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<{ key: string; name: string } | null>(null);
  const [revoking, setRevoking] = useState<{ id: string; name: string } | null>(null);
  const refresh = () => reload({ requestPolicy: 'network-only' });
  if (error) {
    return <ApiRefusal error={error} />;
  }
  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Title order={2}>{t('admin.keys.title', { count: data?.apiKeys.totalCount ?? 0 })}</Title>
        <Button onClick={() => setCreating(true)}>{t('admin.keys.create')}</Button>
      </Group>
      <Table striped aria-busy={fetching} data-testid="admin-keys">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('admin.keys.name')}</Table.Th>
            <Table.Th>{t('admin.keys.prefix')}</Table.Th>
            <Table.Th>{t('admin.role')}</Table.Th>
            <Table.Th>{t('admin.clearance')}</Table.Th>
            <Table.Th>{t('admin.keys.createdAt')}</Table.Th>
            <Table.Th>{t('admin.keys.lastUsedAt')}</Table.Th>
            <Table.Th>{t('admin.keys.state')}</Table.Th>
            <Table.Th>{t('admin.actions')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(data?.apiKeys.nodes ?? []).map((key) => {
            const expired = key.expiresAt && new Date(key.expiresAt) < new Date();
            return (
              <Table.Tr key={key.id} data-name={key.name}>
                <Table.Td>{key.name}</Table.Td>
                <Table.Td><Code>{key.prefix}…</Code></Table.Td>
                <Table.Td><Level kind="role" value={key.role} /></Table.Td>
                <Table.Td><Level kind="clearance" value={key.clearance} /></Table.Td>
                <Table.Td>{format.dateTime(key.createdAt)}</Table.Td>
                <Table.Td>{key.lastUsedAt ? format.dateTime(key.lastUsedAt) : t('admin.never')}</Table.Td>
                <Table.Td data-testid="key-state">
                  {key.revokedAt
                    ? t('admin.keys.revokedOn', { date: format.dateTime(key.revokedAt) })
                    : expired
                      ? t('admin.keys.expired')
                      : t('admin.keys.active')}
                </Table.Td>
                <Table.Td>
                  {!key.revokedAt && !expired && (
                    <Button size="compact-sm" color="red" variant="light" onClick={() => setRevoking({ id: key.id, name: key.name })}
                      aria-label={`${t('admin.keys.revoke')}: ${key.name}`}>
                      {t('admin.keys.revoke')}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      {creating && (
        <CreateKeyModal
          onClose={(result) => {
            setCreating(false);
            if (result) {
              setCreated(result);
              refresh();
            }
          }}
        />
      )}
      {created && (
        <Modal closeButtonProps={{ 'aria-label': t('admin.close') }} opened onClose={() => setCreated(null)} title={t('admin.keys.createdTitle', { name: created.name })} closeOnClickOutside={false}>
          <Stack gap="sm">
            <Alert color="yellow">{t('admin.keys.shownOnce')}</Alert>
            <Code block data-testid="created-key">{created.key}</Code>
            <Group justify="flex-end">
              <CopyButton value={created.key}>
                {({ copied, copy }) => (
                  <Button variant="default" onClick={copy}>{copied ? t('admin.copied') : t('admin.copy')}</Button>
                )}
              </CopyButton>
              <Button onClick={() => setCreated(null)}>{t('admin.keys.stored')}</Button>
            </Group>
          </Stack>
        </Modal>
      )}
      {revoking && (
        <RevokeModal
          apiKey={revoking}
          onClose={(done) => {
            setRevoking(null);
            if (done) {
              refresh();
            }
          }}
        />
      )}
    </Stack>
  );
}

function CreateKeyModal({ onClose }: { onClose: (created?: { key: string; name: string }) => void }) {
  const { t } = useTranslation();
  const [{ data: me }] = useQuery({ query: ShellMeQuery });
  const [, create] = useMutation(CreateApiKeyMutation);
  const [error, setError] = useState<string | null>(null);
  const clientMutationId = useRef(newClientMutationId());
  const form = useForm({
    initialValues: { name: '', role: 'INTEGRATOR', clearance: 'NETWORK', persistedOperationsOnly: false },
    validate: { name: (v) => (v.trim() ? null : t('admin.required')) },
  });
  const submit = form.onSubmit(async (values) => {
    setError(null);
    const result = await create({
      input: { ...values, role: values.role as never, clearance: values.clearance as never, clientMutationId: clientMutationId.current },
    });
    if (result.error || !result.data) {
      const problem = result.error ? problemOf(result.error) : null;
      if (problem?.kind === 'validation' && formFieldOf(problem.field) in values) {
        form.setFieldError(formFieldOf(problem.field), problem.message);
      } else {
        setError(problem && 'message' in problem ? problem.message : t('admin.conflict'));
      }
      // A createApiKey repeated with the same id is CONFLICT (the key is shown once): the next submission is a new one.
      clientMutationId.current = newClientMutationId();
      return;
    }
    onClose({ key: result.data.createApiKey.key, name: result.data.createApiKey.apiKey.name });
  });
  return (
    <Modal closeButtonProps={{ 'aria-label': t('admin.close') }} opened onClose={() => onClose()} title={t('admin.keys.createTitle')}>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <TextInput label={t('admin.keys.name')} required {...form.getInputProps('name')} />
          <Select label={t('admin.role')} data={roles.map((r) => ({ value: r, label: t(`role.${r}`) }))} allowDeselect={false} {...form.getInputProps('role')} />
          <Select label={t('admin.clearance')} data={clearancesUpTo(me?.me.clearance).map((c) => ({ value: c, label: t(`clearance.${c}`) }))}
            allowDeselect={false} {...form.getInputProps('clearance')} />
          <Checkbox label={t('admin.keys.persistedOnly')} {...form.getInputProps('persistedOperationsOnly', { type: 'checkbox' })} />
          {error && <Text role="alert" c="red.9">{error}</Text>}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => onClose()}>{t('admin.cancel')}</Button>
            <Button type="submit" loading={form.submitting}>{t('admin.keys.create')}</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function RevokeModal({ apiKey, onClose }: { apiKey: { id: string; name: string }; onClose: (done: boolean) => void }) {
  const { t } = useTranslation();
  const [{ fetching }, revoke] = useMutation(RevokeApiKeyMutation);
  const [error, setError] = useState<string | null>(null);
  const clientMutationId = useRef(newClientMutationId());
  const run = async () => {
    const result = await revoke({ input: { id: apiKey.id, clientMutationId: clientMutationId.current } });
    if (result.error) {
      const problem = problemOf(result.error);
      setError('message' in problem ? problem.message : t('admin.conflict'));
      return;
    }
    onClose(true);
  };
  return (
    <Modal closeButtonProps={{ 'aria-label': t('admin.close') }} opened onClose={() => onClose(false)} title={t('admin.keys.revokeTitle', { name: apiKey.name })}>
      <Stack gap="sm">
        <Text>{t('admin.keys.revokeBody')}</Text>
        {error && <Text role="alert" c="red.9">{error}</Text>}
        <Group justify="flex-end">
          <Button variant="default" onClick={() => onClose(false)}>{t('admin.cancel')}</Button>
          <Button color="red" loading={fetching} onClick={() => void run()}>{t('admin.keys.revoke')}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}
