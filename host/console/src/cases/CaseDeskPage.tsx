import { Anchor, Badge, Button, Center, Group, Loader, Stack, Table, Text, Timeline, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useQuery } from 'urql';
import type { CaseDetailsFragment, InterventionType } from '../gql/graphql';
import { TeamPanel } from '../teamwork/TeamPanel';
import { CaseFiles } from './CaseFiles';
import { countryName } from './countries';
import { CaseAuditTrailQuery, CaseDeskMeQuery, CaseQuery } from './documents';
import { AddVictimForm, CaseEventForm, ConfidentialityForm, InterventionForm, StatusForm } from './forms';
import { formatDay, formatPartialDate } from './partialDate';
import { levelColor, statusColor } from './vocabulary';
import { Section } from '../common/Section';

type OpenForm =
  | { kind: 'record' }
  | { kind: 'correct'; eventId: string }
  | { kind: 'victim' }
  | { kind: 'intervention'; type: InterventionType }
  | { kind: 'status' }
  | { kind: 'confidentiality' }
  | null;

/** /console/cases/:id — the case with its timeline, victims, interventions, audit trail (for those allowed) and forms. */
export function CaseDeskPage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const [{ data, fetching }] = useQuery({ query: CaseQuery, variables: { id } });
  const [{ data: me }] = useQuery({ query: CaseDeskMeQuery });
  const [form, setForm] = useState<OpenForm>(null);
  const canWrite = ['STAFF', 'EDITOR', 'ADMIN', 'SYSTEM'].includes(me?.me.role ?? '');
  const c = data?.case;

  if (!c) {
    return (
      <Stack>
        <Anchor component={Link} to="/cases">
          {t('caseDesk.case.back')}
        </Anchor>
        {fetching ? (
          <Center py="xl">
            <Loader aria-label={t('caseDesk.case.loading')} />
          </Center>
        ) : (
          <>
            <Title order={1}>{t('caseDesk.list.title')}</Title>
            <Text role="alert">{t('caseDesk.case.notFound')}</Text>
          </>
        )}
      </Stack>
    );
  }

  const close = () => setForm(null);
  const correcting = form?.kind === 'correct' ? c.events.find((e) => e.id === form.eventId) : undefined;

  return (
    <Stack gap="lg">
      <Anchor component={Link} to="/cases">
        {t('caseDesk.case.back')}
      </Anchor>
      <Stack gap={4}>
        <Text fw={600} data-testid="case-reference">
          {c.reference}
        </Text>
        <Title order={1}>{c.title}</Title>
        <Group gap="xs">
          <Badge color={statusColor[c.status]} data-testid="case-status">
            {t(`caseDesk.status.${c.status}`)}
          </Badge>
          <Badge color={levelColor[c.confidentiality]} data-testid="case-confidentiality">
            {t(`clearance.${c.confidentiality}`)}
          </Badge>
          <Text size="sm">{countryName(c.country.code, locale)}</Text>
          <Text size="sm">· {t('caseDesk.case.openedOn', { date: formatDay(c.openedOn, locale) })}</Text>
          <Text size="sm" data-testid="case-version">
            · {t('caseDesk.case.version', { version: c.version })}
          </Text>
        </Group>
      </Stack>

      {canWrite && (
        <Group gap="xs" role="group" aria-label={t('caseDesk.case.actions')}>
          <Button size="sm" onClick={() => setForm({ kind: 'record' })}>
            {t('caseDesk.form.record')}
          </Button>
          <Button size="sm" variant="default" onClick={() => setForm({ kind: 'victim' })}>
            {t('caseDesk.form.addVictim')}
          </Button>
          <Button size="sm" variant="default" onClick={() => setForm({ kind: 'intervention', type: 'URGENT_APPEAL' })}>
            {t('caseDesk.form.intervention')}
          </Button>
          <Button size="sm" variant="default" onClick={() => setForm({ kind: 'intervention', type: 'FOLLOW_UP' })}>
            {t('caseDesk.form.followUp')}
          </Button>
          <Button size="sm" variant="default" onClick={() => setForm({ kind: 'status' })}>
            {t('caseDesk.form.status')}
          </Button>
          <Button size="sm" variant="default" onClick={() => setForm({ kind: 'confidentiality' })}>
            {t('caseDesk.form.confidentiality')}
          </Button>
        </Group>
      )}

      <Section title={t('caseDesk.case.summary')}>
        <Text style={{ whiteSpace: 'pre-wrap' }}>{c.summary || t('caseDesk.case.noSummary')}</Text>
      </Section>

      <Section title={t('caseDesk.case.timeline')} testId="case-timeline">
        {c.events.length === 0 ? (
          <Text>{t('caseDesk.case.noEvents')}</Text>
        ) : (
          <Timeline bulletSize={14} lineWidth={2}>
            {c.events.map((e) => (
              <Timeline.Item
                key={e.id}
                data-event-id={e.id}
                title={
                  <Group gap="xs">
                    <Text fw={600} component="span">
                      {formatPartialDate(e.date, locale)}
                    </Text>
                    <Text component="span">{t(`caseDesk.eventType.${e.type}`)}</Text>
                    <Badge size="sm" color={levelColor[e.confidentiality]}>
                      {t(`clearance.${e.confidentiality}`)}
                    </Badge>
                    {canWrite && (
                      <Button
                        size="compact-xs"
                        variant="subtle"
                        onClick={() => setForm({ kind: 'correct', eventId: e.id })}
                        aria-label={t('caseDesk.case.correctLabel', {
                          type: t(`caseDesk.eventType.${e.type}`),
                          date: formatPartialDate(e.date, locale),
                        })}
                      >
                        {t('caseDesk.case.correct')}
                      </Button>
                    )}
                  </Group>
                }
              >
                {e.description && <Text size="sm">{e.description}</Text>}
                {e.victims.length > 0 && (
                  <Text size="sm">{t('caseDesk.case.concerning', { list: e.victims.map((v) => v.name ?? v.id).join(', ') })}</Text>
                )}
                {e.perpetratorType && (
                  <Text size="sm">{t('caseDesk.case.perpetrator', { value: t(`caseDesk.perpetrator.${e.perpetratorType}`) })}</Text>
                )}
                {e.source && <Text size="sm">{t('caseDesk.case.source', { value: e.source })}</Text>}
              </Timeline.Item>
            ))}
          </Timeline>
        )}
      </Section>

      <Section title={t('caseDesk.case.victims')} testId="case-victims">
        {c.victims.length === 0 ? (
          <Text>{t('caseDesk.case.noVictims')}</Text>
        ) : (
          <Stack component="ul" gap={4} style={{ listStyle: 'none', padding: 0, margin: 0 }}>
            {c.victims.map((v) => (
              <Group component="li" key={v.id} gap="xs">
                {v.defenderId ? (
                  <Anchor component={Link} to={`/defenders/${encodeURIComponent(v.defenderId)}`}>
                    {v.name ?? t('caseDesk.case.defenderProfile')}
                  </Anchor>
                ) : (
                  <Text component="span">{v.name ?? t('caseDesk.case.hiddenProfile')}</Text>
                )}
                <Text size="sm" component="span">
                  ({v.defenderId ? t('caseDesk.case.defenderProfile') : t('caseDesk.case.namedOnCase')})
                </Text>
                <Badge size="sm" color={levelColor[v.confidentiality]}>
                  {t(`clearance.${v.confidentiality}`)}
                </Badge>
              </Group>
            ))}
          </Stack>
        )}
      </Section>

      <Section title={t('caseDesk.case.interventions')} testId="case-interventions">
        {c.interventions.length === 0 ? (
          <Text>{t('caseDesk.case.noInterventions')}</Text>
        ) : (
          <Stack component="ul" gap="xs" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
            {c.interventions.map((i) => (
              <li key={i.reference}>
                <Group gap="xs">
                  <Text fw={600} component="span">
                    {i.reference}
                  </Text>
                  <Text component="span">{t(`caseDesk.intervention.${i.type}`)}</Text>
                  <Text component="span">· {formatDay(i.issuedOn, locale)}</Text>
                </Group>
                {i.addressees.length > 0 && <Text size="sm">{t('caseDesk.case.addressees', { list: i.addressees.join('; ') })}</Text>}
              </li>
            ))}
          </Stack>
        )}
      </Section>

      <CaseFiles caseId={c.id} version={c.version} />

      {canWrite && <TeamPanel recordId={c.id} />}

      <AuditTrail caseId={c.id} version={c.version} />

      {canWrite && <CaseForms form={form} close={close} caseData={c} correcting={correcting} />}
    </Stack>
  );
}

function CaseForms({
  form,
  close,
  caseData,
  correcting,
}: {
  form: OpenForm;
  close: () => void;
  caseData: CaseDetailsFragment;
  correcting: CaseDetailsFragment['events'][number] | undefined;
}) {
  return (
    <>
      <CaseEventForm opened={form?.kind === 'record'} onClose={close} caseData={caseData} />
      <CaseEventForm opened={form?.kind === 'correct' && !!correcting} onClose={close} caseData={caseData} event={correcting} />
      <AddVictimForm opened={form?.kind === 'victim'} onClose={close} caseData={caseData} />
      <InterventionForm
        opened={form?.kind === 'intervention'}
        onClose={close}
        caseData={caseData}
        type={form?.kind === 'intervention' ? form.type : 'URGENT_APPEAL'}
      />
      <StatusForm opened={form?.kind === 'status'} onClose={close} caseData={caseData} />
      <ConfidentialityForm opened={form?.kind === 'confidentiality'} onClose={close} caseData={caseData} />
    </>
  );
}


/** The case's audit trail: the API decides who may read it; on FORBIDDEN the section is not shown. */
function AuditTrail({ caseId, version }: { caseId: string; version: number }) {
  const { t, i18n } = useTranslation();
  const [{ data, error, fetching }, reexecute] = useQuery({
    query: CaseAuditTrailQuery,
    variables: { id: caseId },
    requestPolicy: 'network-only',
  });
  // A new version of the case is a new entry: read the trail again.
  useEffect(() => {
    reexecute({ requestPolicy: 'network-only' });
  }, [version, reexecute]);
  if (error?.graphQLErrors.some((e) => e.extensions?.['code'] === 'FORBIDDEN' || e.extensions?.['code'] === 'UNAUTHENTICATED')) {
    return null;
  }
  if (!data && fetching) {
    return null;
  }
  const entries = data?.auditTrail ?? [];
  const at = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <Section title={t('caseDesk.case.audit')} testId="case-audit">
      {error ? (
        <Text role="alert">{error.graphQLErrors[0]?.message ?? error.message}</Text>
      ) : entries.length === 0 ? (
        <Text>{t('caseDesk.case.auditEmpty')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={600}>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('caseDesk.case.auditAt')}</Table.Th>
                <Table.Th scope="col">{t('caseDesk.case.auditAction')}</Table.Th>
                <Table.Th scope="col">{t('caseDesk.case.auditVersion')}</Table.Th>
                <Table.Th scope="col">{t('caseDesk.case.auditBy')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {entries.map((e, index) => (
                <Table.Tr key={`${e.at}-${index}`}>
                  <Table.Td>{at.format(new Date(e.at))}</Table.Td>
                  <Table.Td>{e.kind === 'CHANGE' ? e.action : `${e.kind}: ${e.action}`}</Table.Td>
                  <Table.Td>{e.version ?? ''}</Table.Td>
                  <Table.Td>{e.by ?? ''}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Section>
  );
}
