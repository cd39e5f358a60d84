import { Anchor, Badge, Button, Center, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useQuery } from 'urql';
import { countryName } from '../cases/countries';
import { TeamPanel } from '../teamwork/TeamPanel';
import { formatDay } from '../cases/partialDate';
import { levelColor } from '../cases/vocabulary';
import { useFormat } from '../i18n/format';
import { audienceText } from './CallList';
import { CallQuery, SubmissionDeskMeQuery } from './documents';
import { ExtendDeadlineForm, ReceiveInputForm } from './forms';
import { CallInputFiles } from './SubmissionFiles';
import { canWriteRoles } from './SubmissionList';
import { Section } from '../common/Section';
import { callStatusColor } from './vocabulary';

/**
 * /console/submissions/calls/:id — a call for input: question, audience, deadline, the inputs the person may read and,
 * for staff, the member organisations that have not answered (as the API gives them: null for others).
 */
export function CallPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const format = useFormat();
  const locale = format.locale;
  const [{ data, fetching }] = useQuery({ query: CallQuery, variables: { id } });
  const [{ data: me }] = useQuery({ query: SubmissionDeskMeQuery });
  const [form, setForm] = useState<'extend' | 'receive' | null>(null);
  const node = data?.node;
  const call = node && node.__typename === 'CallForInput' ? node : null;
  const staff = canWriteRoles.includes(me?.me.role ?? '');
  const ownOrganisationId = me?.me.role === 'NETWORK_MEMBER' ? (me.me.account?.organisationId ?? null) : null;

  if (!call) {
    return (
      <Stack>
        <Anchor component={Link} to="/submissions/calls">
          {t('submissionDesk.backToCalls')}
        </Anchor>
        {fetching ? (
          <Center py="xl">
            <Loader aria-label={t('submissionDesk.list.loading')} />
          </Center>
        ) : (
          <>
            <Title order={1}>{t('submissionDesk.calls.title')}</Title>
            <Text role="alert">{t('submissionDesk.call.notFound')}</Text>
          </>
        )}
      </Stack>
    );
  }

  const open = call.status === 'OPEN';
  const close = () => setForm(null);
  const canAnswer = open && (staff || !!ownOrganisationId);
  const answeredOwn = ownOrganisationId ? call.inputs.some((i) => i.organisation.id === ownOrganisationId) : false;

  return (
    <Stack gap="lg">
      <Anchor component={Link} to="/submissions/calls">
        {t('submissionDesk.backToCalls')}
      </Anchor>
      <Stack gap={4}>
        <Text fw={600}>{t('submissionDesk.call.kind')}</Text>
        <Title order={1}>{call.title}</Title>
        <Group gap="xs">
          <Badge color={callStatusColor[call.status]} data-testid="call-status">
            {t(`submissionDesk.callStatus.${call.status}`)}
          </Badge>
          <Badge color={levelColor[call.confidentiality]}>{t(`clearance.${call.confidentiality}`)}</Badge>
          <Text size="sm" data-testid="call-deadline">
            {t('submissionDesk.call.deadline', { date: formatDay(call.deadline, locale) })}
          </Text>
          <Text size="sm" data-testid="call-version">
            · {t('submissionDesk.submission.version', { version: call.version })}
          </Text>
        </Group>
      </Stack>

      {(staff || canAnswer) && (
        <Group gap="xs" role="group" aria-label={t('submissionDesk.call.actions')}>
          {canAnswer && (
            <Button size="sm" onClick={() => setForm('receive')}>
              {t(ownOrganisationId ? (answeredOwn ? 'submissionDesk.form.replace' : 'submissionDesk.form.answer') : 'submissionDesk.form.receive')}
            </Button>
          )}
          {staff && (
            <Button size="sm" variant="default" onClick={() => setForm('extend')}>
              {t('submissionDesk.form.extend')}
            </Button>
          )}
        </Group>
      )}

      <Section title={t('submissionDesk.call.question')} testId="call-question">
        <Text style={{ whiteSpace: 'pre-wrap' }}>{call.question}</Text>
        <Text size="sm" mt="sm" data-testid="call-audience">
          {t('submissionDesk.call.audience', { audience: audienceText(call, t, locale) })}
        </Text>
      </Section>

      <Section title={t('submissionDesk.call.inputs', { count: call.inputs.length })} testId="call-inputs">
        {call.inputs.length === 0 ? (
          <Text>{t('submissionDesk.call.noInputs')}</Text>
        ) : (
          <Table.ScrollContainer minWidth={600}>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('submissionDesk.column.organisation')}</Table.Th>
                  <Table.Th scope="col">{t('submissionDesk.column.receivedAt')}</Table.Th>
                  <Table.Th scope="col">{t('submissionDesk.column.shared')}</Table.Th>
                  <Table.Th scope="col">{t('submissionDesk.column.input')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {call.inputs.map((i) => (
                  <Table.Tr key={i.organisation.id} data-organisation-id={i.organisation.id}>
                    <Table.Td>
                      {i.organisation.name} ({countryName(i.organisation.country.code, locale)})
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{format.dateTime(i.receivedAt)}</Table.Td>
                    <Table.Td>{t(i.sharedWithNetwork ? 'submissionDesk.call.sharedYes' : 'submissionDesk.call.sharedNo')}</Table.Td>
                    <Table.Td style={{ whiteSpace: 'pre-wrap' }}>{i.text}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Section>

      <CallInputFiles callId={call.id} version={call.version} staff={staff} ownOrganisationId={ownOrganisationId} open={open} />

      {staff && <TeamPanel recordId={call.id} />}

      {call.notAnswered && (
        <Section title={t('submissionDesk.call.notAnswered', { count: call.notAnswered.length })} testId="call-not-answered">
          {call.notAnswered.length === 0 ? (
            <Text>{t('submissionDesk.call.everyoneAnswered')}</Text>
          ) : (
            <Stack component="ul" gap={4} style={{ margin: 0 }}>
              {call.notAnswered.map((o) => (
                <li key={o.id} data-organisation-id={o.id}>
                  {o.name} ({countryName(o.country.code, locale)})
                </li>
              ))}
            </Stack>
          )}
        </Section>
      )}

      {staff && <ExtendDeadlineForm opened={form === 'extend'} onClose={close} call={call} />}
      {canAnswer && <ReceiveInputForm opened={form === 'receive'} onClose={close} call={call} ownOrganisationId={ownOrganisationId} />}
    </Stack>
  );
}
