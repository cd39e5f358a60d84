import { Alert, Checkbox, Code, CopyButton, Button, Group, Modal, MultiSelect, Select, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation } from 'urql';
import { CaseFormModal } from '../cases/CaseFormModal';
import { countryOptions } from '../cases/countries';
import { levels } from '../cases/vocabulary';
import type { Confidentiality, DigestPeriod, DigestSubscriptionDetailsFragment, Weekday } from '../gql/graphql';
import { useFormat } from '../i18n/format';
import {
  CreateDigestSubscriptionMutation,
  DeleteDigestSubscriptionMutation,
  PauseDigestSubscriptionMutation,
  ResumeDigestSubscriptionMutation,
  UpdateDigestSubscriptionMutation,
} from './documents';

export const weekdays: Weekday[] = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'];
const periods: DigestPeriod[] = ['DAILY', 'WEEKLY'];
/** The form modal's own labels (saved, conflict…, submit, cancel) name a subscription. */
const labelPrefix = 'reports:digests.form';

interface Values extends Record<string, unknown> {
  name: string;
  period: DigestPeriod;
  weekday: Weekday;
  audience: Confidentiality;
  countries: string[];
  themes: string;
  emailRecipients: string;
  webhookUrl: string;
  rotateWebhookSecret: boolean;
}

function valuesOf(subscription: DigestSubscriptionDetailsFragment | null, clearance: Confidentiality): Values {
  return {
    name: subscription?.name ?? '',
    period: subscription?.period ?? 'WEEKLY',
    weekday: subscription?.weekday ?? 'MONDAY',
    audience: subscription?.audience ?? (clearance === 'RESTRICTED' ? 'STAFF' : clearance),
    countries: subscription?.countries ?? [],
    themes: subscription?.themes.join(', ') ?? '',
    emailRecipients: subscription?.emailRecipients.join('\n') ?? '',
    webhookUrl: subscription?.webhookUrl ?? '',
    rotateWebhookSecret: false,
  };
}

const list = (text: string, separator: RegExp) =>
  text
    .split(separator)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);

/**
 * Create or edit a subscription (null: create). The audience offers the levels up to the person's clearance (the API
 * refuses more, on the field). A new webhook, or a new secret asked for, shows the signing secret once.
 */
export function SubscriptionFormModal({
  opened,
  onClose,
  subscription,
  clearance,
  reload,
  onSaved,
}: {
  opened: boolean;
  onClose: () => void;
  subscription: DigestSubscriptionDetailsFragment | null;
  clearance: Confidentiality;
  reload: () => Promise<number | undefined>;
  onSaved: () => void;
}) {
  const { t } = useTranslation('reports');
  const { t: tc } = useTranslation();
  const format = useFormat();
  const [, create] = useMutation(CreateDigestSubscriptionMutation);
  const [, update] = useMutation(UpdateDigestSubscriptionMutation);
  const [secret, setSecret] = useState<string | null>(null);
  const countries = useMemo(() => countryOptions(format.locale), [format.locale]);
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: valuesOf(subscription, clearance),
    validate: {
      name: (v) => (v.trim() ? null : t('digests.form.required')),
      emailRecipients: (v, all) => (v.trim() || all.webhookUrl.trim() ? null : t('digests.form.needsChannel')),
    },
  });
  const allowed = levels.slice(0, levels.indexOf(clearance) + 1);
  const values = form.getValues();

  return (
    <>
      <CaseFormModal
        opened={opened}
        onClose={onClose}
        title={subscription ? t('digests.editTitle', { name: subscription.name }) : t('digests.createTitle')}
        form={form}
        initialValues={() => valuesOf(subscription, clearance)}
        subject={subscription?.id ?? 'new'}
        expectedVersion={subscription?.version}
        reload={subscription ? reload : undefined}
        labelPrefix={labelPrefix}
        send={(v, ids) => {
          const common = {
            name: v.name.trim(),
            period: v.period,
            weekday: v.period === 'WEEKLY' ? v.weekday : null,
            audience: v.audience,
            countries: v.countries,
            themes: list(v.themes, /,/),
            emailRecipients: list(v.emailRecipients, /[\n,;]/),
          };
          return subscription
            ? update({
                input: {
                  ...common,
                  weekday: v.period === 'WEEKLY' ? v.weekday : undefined,
                  subscriptionId: subscription.id,
                  webhookUrl: v.webhookUrl.trim(),
                  rotateWebhookSecret: v.rotateWebhookSecret || undefined,
                  expectedVersion: ids.expectedVersion,
                  clientMutationId: ids.clientMutationId,
                },
              })
            : create({ input: { ...common, webhookUrl: v.webhookUrl.trim() || null, clientMutationId: ids.clientMutationId } });
        }}
        onDone={(data) => {
          const payload = (data as { createDigestSubscription?: { webhookSecret?: string | null }; updateDigestSubscription?: { webhookSecret?: string | null } } | undefined);
          const made = payload?.createDigestSubscription?.webhookSecret ?? payload?.updateDigestSubscription?.webhookSecret;
          if (made) {
            setSecret(made);
          }
          onSaved();
        }}
      >
        <TextInput label={t('digests.form.name')} required key={form.key('name')} {...form.getInputProps('name')} />
        <Group grow align="flex-start">
          <Select
            label={t('digests.form.period')}
            data={periods.map((p) => ({ value: p, label: t(`digests.period.${p}`) }))}
            allowDeselect={false}
            key={form.key('period')}
            {...form.getInputProps('period')}
          />
          {values.period === 'WEEKLY' && (
            <Select
              label={t('digests.form.weekday')}
              data={weekdays.map((d) => ({ value: d, label: t(`digests.weekday.${d}`) }))}
              allowDeselect={false}
              key={form.key('weekday')}
              {...form.getInputProps('weekday')}
            />
          )}
        </Group>
        <Select
          label={t('digests.form.audience')}
          description={t('digests.form.audienceHelp')}
          data={allowed.map((l) => ({ value: l, label: tc(`clearance.${l}`) }))}
          allowDeselect={false}
          key={form.key('audience')}
          {...form.getInputProps('audience')}
        />
        <MultiSelect label={t('digests.form.countries')} data={countries} searchable clearable key={form.key('countries')} {...form.getInputProps('countries')} />
        <TextInput label={t('digests.form.themes')} key={form.key('themes')} {...form.getInputProps('themes')} />
        <Textarea label={t('digests.form.emailRecipients')} autosize minRows={2} key={form.key('emailRecipients')} {...form.getInputProps('emailRecipients')} />
        <TextInput label={t('digests.form.webhookUrl')} description={t('digests.form.webhookHelp')} type="url" key={form.key('webhookUrl')} {...form.getInputProps('webhookUrl')} />
        {subscription?.webhookUrl && (
          <Checkbox label={t('digests.form.rotate')} key={form.key('rotateWebhookSecret')} {...form.getInputProps('rotateWebhookSecret', { type: 'checkbox' })} />
        )}
      </CaseFormModal>
      <Modal opened={secret !== null} onClose={() => setSecret(null)} title={t('digests.secretTitle')} closeButtonProps={{ 'aria-label': tc('caseDesk.form.close') }}>
        <Stack>
          <Alert color="orange">{t('digests.secretBody')}</Alert>
          <Code block data-testid="webhook-secret">
            {secret}
          </Code>
          <Group justify="flex-end">
            <CopyButton value={secret ?? ''}>{({ copy }) => <Button variant="default" onClick={copy}>{t('digests.copy')}</Button>}</CopyButton>
            <Button onClick={() => setSecret(null)}>{t('digests.secretDone')}</Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

export type SubscriptionAction = 'pause' | 'resume' | 'delete';

/** Pause, resume or delete: a confirmation that sends the subscription's version and one clientMutationId. */
export function SubscriptionActionModal({
  action,
  subscription,
  onClose,
  reload,
  onDone,
}: {
  action: SubscriptionAction | null;
  subscription: DigestSubscriptionDetailsFragment | null;
  onClose: () => void;
  reload: () => Promise<number | undefined>;
  onDone: () => void;
}) {
  const { t } = useTranslation('reports');
  const [, pause] = useMutation(PauseDigestSubscriptionMutation);
  const [, resume] = useMutation(ResumeDigestSubscriptionMutation);
  const [, remove] = useMutation(DeleteDigestSubscriptionMutation);
  const form = useForm<Record<string, unknown>>({ initialValues: {} });
  const name = subscription?.name ?? '';
  return (
    <CaseFormModal
      opened={action !== null && subscription !== null}
      onClose={onClose}
      title={action ? t(`digests.${action}Title`, { name }) : ''}
      form={form}
      subject={`${action}:${subscription?.id}`}
      expectedVersion={subscription?.version}
      reload={reload}
      labelPrefix={labelPrefix}
      onDone={onDone}
      send={(_, ids) => {
        const input = { subscriptionId: subscription!.id, expectedVersion: ids.expectedVersion, clientMutationId: ids.clientMutationId };
        return action === 'pause' ? pause({ input }) : action === 'resume' ? resume({ input }) : remove({ input });
      }}
    >
      <Text>{action ? t(`digests.${action}Body`) : ''}</Text>
    </CaseFormModal>
  );
}
