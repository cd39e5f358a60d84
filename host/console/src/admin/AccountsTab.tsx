import { Button, Group, Modal, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import { formFieldOf, newClientMutationId, problemOf } from '../common/mutationErrors';
import { useFormat } from '../i18n/format';
import { ShellMeQuery } from '../shell/ShellMe';
import { ApiRefusal, Level, clearancesUpTo, roles } from './common';
import {
  AccountsQuery,
  ChangeAccountRoleMutation,
  DisableAccountMutation,
  InviteAccountMutation,
  ResetSecondFactorMutation,
} from './queries';

interface Account {
  id: string;
  displayName: string;
  email: string;
  role: string;
  clearance: string;
}

/** Accounts and invitations: the accounts within the admin's clearance, invite, change role, disable, reset the second factor. */
export function AccountsTab() {
  const { t } = useTranslation();
  const format = useFormat();
  const [{ data, error, fetching }, reload] = useQuery({ query: AccountsQuery, variables: { first: 100 } });
  const [inviting, setInviting] = useState(false);
  const [changing, setChanging] = useState<Account | null>(null);
  const [confirm, setConfirm] = useState<{ account: Account; action: 'disable' | 'reset' } | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const refresh = () => reload({ requestPolicy: 'network-only' });

  if (error) {
    return <ApiRefusal error={error} />;
  }
  const accounts = data?.accounts.nodes ?? [];
  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Title order={2}>{t('admin.accounts.title', { count: data?.accounts.totalCount ?? 0 })}</Title>
        <Button onClick={() => setInviting(true)}>{t('admin.accounts.invite')}</Button>
      </Group>
      {message && (
        <Text role="status" c="teal.9" data-testid="admin-accounts-status">
          {message}
        </Text>
      )}
      <Table striped aria-busy={fetching} data-testid="admin-accounts">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('admin.accounts.name')}</Table.Th>
            <Table.Th>{t('admin.accounts.email')}</Table.Th>
            <Table.Th>{t('admin.role')}</Table.Th>
            <Table.Th>{t('admin.clearance')}</Table.Th>
            <Table.Th>{t('admin.accounts.state')}</Table.Th>
            <Table.Th>{t('admin.accounts.createdAt')}</Table.Th>
            <Table.Th>{t('admin.actions')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {accounts.map((account) => (
            <Table.Tr key={account.id} data-email={account.email}>
              <Table.Td>{account.displayName}</Table.Td>
              <Table.Td>{account.email}</Table.Td>
              <Table.Td><Level kind="role" value={account.role} /></Table.Td>
              <Table.Td><Level kind="clearance" value={account.clearance} /></Table.Td>
              <Table.Td>
                {account.disabled
                  ? t('admin.accounts.disabled')
                  : account.factors.password
                    ? account.factors.authenticator
                      ? t('admin.accounts.active')
                      : t('admin.accounts.noSecondFactor')
                    : t('admin.accounts.invited')}
              </Table.Td>
              <Table.Td>{format.date(account.createdAt)}</Table.Td>
              <Table.Td>
                {!account.disabled && !account.external && (
                  <Group gap="xs" wrap="nowrap">
                    <Button size="compact-sm" variant="default" onClick={() => setChanging(account)}
                      aria-label={`${t('admin.accounts.change')}: ${account.displayName}`}>
                      {t('admin.accounts.change')}
                    </Button>
                    <Button size="compact-sm" variant="default" onClick={() => setConfirm({ account, action: 'reset' })}
                      aria-label={`${t('admin.accounts.reset')}: ${account.displayName}`}>
                      {t('admin.accounts.reset')}
                    </Button>
                    <Button size="compact-sm" color="red" variant="light" onClick={() => setConfirm({ account, action: 'disable' })}
                      aria-label={`${t('admin.accounts.disable')}: ${account.displayName}`}>
                      {t('admin.accounts.disable')}
                    </Button>
                  </Group>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {inviting && (
        <InviteModal
          onClose={(email) => {
            setInviting(false);
            if (email) {
              setMessage(t('admin.accounts.inviteSent', { email }));
              refresh();
            }
          }}
        />
      )}
      {changing && (
        <ChangeRoleModal
          account={changing}
          onClose={(done) => {
            setChanging(null);
            if (done) {
              setMessage(t('admin.accounts.changed', { name: changing.displayName }));
              refresh();
            }
          }}
        />
      )}
      {confirm && (
        <ConfirmModal
          account={confirm.account}
          action={confirm.action}
          onClose={(done) => {
            setConfirm(null);
            if (done) {
              setMessage(t(confirm.action === 'disable' ? 'admin.accounts.disabledDone' : 'admin.accounts.resetDone', { name: confirm.account.displayName }));
              refresh();
            }
          }}
        />
      )}
    </Stack>
  );
}

function useOwnClearance(): string | undefined {
  const [{ data }] = useQuery({ query: ShellMeQuery });
  return data?.me.clearance;
}

function InviteModal({ onClose }: { onClose: (email?: string) => void }) {
  const { t } = useTranslation();
  const own = useOwnClearance();
  const [, invite] = useMutation(InviteAccountMutation);
  const [error, setError] = useState<string | null>(null);
  const clientMutationId = useRef(newClientMutationId());
  const form = useForm({
    initialValues: { email: '', displayName: '', role: 'STAFF', clearance: 'STAFF' },
    validate: {
      email: (v) => (v.includes('@') ? null : t('admin.required')),
      displayName: (v) => (v.trim() ? null : t('admin.required')),
    },
  });
  const submit = form.onSubmit(async (values) => {
    setError(null);
    const result = await invite({ input: { ...values, role: values.role as never, clearance: values.clearance as never, clientMutationId: clientMutationId.current } });
    if (result.error) {
      const problem = problemOf(result.error);
      if (problem.kind === 'validation' && formFieldOf(problem.field) in values) {
        form.setFieldError(formFieldOf(problem.field), problem.message);
      } else {
        setError(problem.kind === 'conflict' ? t('admin.conflict') : 'message' in problem ? problem.message : '');
      }
      return;
    }
    onClose(values.email);
  });
  return (
    <Modal closeButtonProps={{ 'aria-label': t('admin.close') }} opened onClose={() => onClose()} title={t('admin.accounts.inviteTitle')}>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <TextInput label={t('admin.accounts.email')} type="email" required {...form.getInputProps('email')} />
          <TextInput label={t('admin.accounts.name')} required {...form.getInputProps('displayName')} />
          <Select label={t('admin.role')} data={roles.map((r) => ({ value: r, label: t(`role.${r}`) }))} allowDeselect={false} {...form.getInputProps('role')} />
          <Select label={t('admin.clearance')} data={clearancesUpTo(own).map((c) => ({ value: c, label: t(`clearance.${c}`) }))}
            allowDeselect={false} {...form.getInputProps('clearance')} />
          {error && <Text role="alert" c="red.9">{error}</Text>}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => onClose()}>{t('admin.cancel')}</Button>
            <Button type="submit" loading={form.submitting}>{t('admin.accounts.send')}</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function ChangeRoleModal({ account, onClose }: { account: Account; onClose: (done: boolean) => void }) {
  const { t } = useTranslation();
  const own = useOwnClearance();
  const [, change] = useMutation(ChangeAccountRoleMutation);
  const [error, setError] = useState<string | null>(null);
  const clientMutationId = useRef(newClientMutationId());
  const form = useForm({ initialValues: { role: account.role, clearance: account.clearance } });
  const submit = form.onSubmit(async (values) => {
    const result = await change({ input: { id: account.id, role: values.role as never, clearance: values.clearance as never, clientMutationId: clientMutationId.current } });
    if (result.error) {
      const problem = problemOf(result.error);
      if (problem.kind === 'validation' && formFieldOf(problem.field) in values) {
        form.setFieldError(formFieldOf(problem.field), problem.message);
      } else {
        setError('message' in problem ? problem.message : t('admin.conflict'));
      }
      return;
    }
    onClose(true);
  });
  return (
    <Modal closeButtonProps={{ 'aria-label': t('admin.close') }} opened onClose={() => onClose(false)} title={t('admin.accounts.changeTitle', { name: account.displayName })}>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Select label={t('admin.role')} data={roles.map((r) => ({ value: r, label: t(`role.${r}`) }))} allowDeselect={false} {...form.getInputProps('role')} />
          <Select label={t('admin.clearance')} data={clearancesUpTo(own).map((c) => ({ value: c, label: t(`clearance.${c}`) }))}
            allowDeselect={false} {...form.getInputProps('clearance')} />
          <Text size="sm">{t('admin.accounts.changeNote')}</Text>
          {error && <Text role="alert" c="red.9">{error}</Text>}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => onClose(false)}>{t('admin.cancel')}</Button>
            <Button type="submit" loading={form.submitting}>{t('admin.save')}</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function ConfirmModal({ account, action, onClose }: { account: Account; action: 'disable' | 'reset'; onClose: (done: boolean) => void }) {
  const { t } = useTranslation();
  const [{ fetching: disabling }, disable] = useMutation(DisableAccountMutation);
  const [{ fetching: resetting }, reset] = useMutation(ResetSecondFactorMutation);
  const [error, setError] = useState<string | null>(null);
  const clientMutationId = useRef(newClientMutationId());
  const run = async () => {
    const input = { id: account.id, clientMutationId: clientMutationId.current };
    const result = action === 'disable' ? await disable({ input }) : await reset({ input });
    if (result.error) {
      const problem = problemOf(result.error);
      setError('message' in problem ? problem.message : t('admin.conflict'));
      return;
    }
    onClose(true);
  };
  return (
    <Modal closeButtonProps={{ 'aria-label': t('admin.close') }} opened onClose={() => onClose(false)} title={t(action === 'disable' ? 'admin.accounts.disableTitle' : 'admin.accounts.resetTitle', { name: account.displayName })}>
      <Stack gap="sm">
        <Text>{t(action === 'disable' ? 'admin.accounts.disableBody' : 'admin.accounts.resetBody', { email: account.email })}</Text>
        {error && <Text role="alert" c="red.9">{error}</Text>}
        <Group justify="flex-end">
          <Button variant="default" onClick={() => onClose(false)}>{t('admin.cancel')}</Button>
          <Button color="red" loading={disabling || resetting} onClick={() => void run()}>
            {t(action === 'disable' ? 'admin.accounts.disable' : 'admin.accounts.reset')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
