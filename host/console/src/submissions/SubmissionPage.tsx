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
import { SubmissionDeskMeQuery, SubmissionQuery } from './documents';
import { AddCoSignatoryForm, RecordOutcomeForm, RemoveCoSignatoryForm } from './forms';
import { canWriteRoles } from './SubmissionList';
import { TextEditor } from './TextEditor';
import { SubmissionFiles } from './SubmissionFiles';
import { stageColor } from './vocabulary';
import { Section } from '../common/Section';

type OpenForm = { kind: 'add' } | { kind: 'remove'; organisation: { id: string; name: string } } | { kind: 'outcome' } | null;

/** /console/submissions/:id — a submission: its dates, signatories, text editor with the live word count, outcome. */
export function SubmissionPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const format = useFormat();
  const locale = format.locale;
  const [{ data, fetching }] = useQuery({ query: SubmissionQuery, variables: { id } });
  const [{ data: me }] = useQuery({ query: SubmissionDeskMeQuery });
  const [form, setForm] = useState<OpenForm>(null);
  const canWrite = canWriteRoles.includes(me?.me.role ?? '');
  const node = data?.node;
  const s = node && node.__typename === 'Submission' ? node : null;

  if (!s) {
    return (
      <Stack>
        <Anchor component={Link} to="/submissions">
          {t('submissionDesk.back')}
        </Anchor>
        {fetching ? (
          <Center py="xl">
            <Loader aria-label={t('submissionDesk.list.loading')} />
          </Center>
        ) : (
          <>
            <Title order={1}>{t('submissionDesk.title')}</Title>
            <Text role="alert">{t('submissionDesk.submission.notFound')}</Text>
          </>
        )}
      </Stack>
    );
  }

  const frozen = s.status === 'SUBMITTED' || s.status === 'OUTCOME_RECORDED';
  const close = () => setForm(null);
  const dates: [string, string | null | undefined][] = [
    [t('submissionDesk.submission.dueOn'), formatDay(s.dueOn, locale)],
    [t('submissionDesk.submission.session'), s.session],
    [t('submissionDesk.submission.sessionStartsOn'), s.sessionStartsOn ? formatDay(s.sessionStartsOn, locale) : null],
    [t('submissionDesk.submission.submittedOn'), s.submittedOn ? formatDay(s.submittedOn, locale) : null],
    [t('submissionDesk.submission.catStage'), s.catStage ? t(`submissionDesk.catStage.${s.catStage}`) : null],
    [t('submissionDesk.submission.leadOrganisation'), s.leadOrganisation?.name],
  ];

  return (
    <Stack gap="lg">
      <Anchor component={Link} to="/submissions">
        {t('submissionDesk.back')}
      </Anchor>
      <Stack gap={4}>
        <Text fw={600}>
          {t(`submissionDesk.mechanism.${s.mechanism}`)} · {countryName(s.country.code, locale)}
        </Text>
        <Title order={1}>{s.title}</Title>
        <Group gap="xs">
          <Badge color={stageColor[s.status]} data-testid="submission-stage">
            {t(`submissionDesk.stage.${s.status}`)}
          </Badge>
          <Badge color={levelColor[s.confidentiality]}>{t(`clearance.${s.confidentiality}`)}</Badge>
          <Text size="sm" data-testid="submission-version">
            {t('submissionDesk.submission.version', { version: s.version })}
          </Text>
        </Group>
      </Stack>

      <Section title={t('submissionDesk.submission.dates')} testId="submission-dates">
        <Table variant="vertical" withTableBorder={false}>
          <Table.Tbody>
            {dates
              .filter(([, value]) => value)
              .map(([label, value]) => (
                <Table.Tr key={label}>
                  <Table.Th scope="row" w={220}>
                    {label}
                  </Table.Th>
                  <Table.Td>{value}</Table.Td>
                </Table.Tr>
              ))}
          </Table.Tbody>
        </Table>
      </Section>

      <Section title={t('submissionDesk.editor.title')} testId="submission-editor">
        <TextEditor submission={s} canWrite={canWrite && !frozen} />
      </Section>

      <Section title={t('submissionDesk.submission.coSignatories')} testId="submission-cosignatories">
        <Stack gap="xs">
          {s.coSignatories.length === 0 ? (
            <Text>{t('submissionDesk.submission.noCoSignatories')}</Text>
          ) : (
            <Stack component="ul" gap={4} style={{ listStyle: 'none', padding: 0, margin: 0 }}>
              {s.coSignatories.map((o) => (
                <Group component="li" key={o.id} gap="xs">
                  <Text component="span">{o.name}</Text>
                  <Text component="span" size="sm">
                    ({countryName(o.country.code, locale)})
                  </Text>
                  {canWrite && !frozen && (
                    <Button
                      size="compact-xs"
                      variant="default"
                      onClick={() => setForm({ kind: 'remove', organisation: { id: o.id, name: o.name } })}
                      aria-label={t('submissionDesk.submission.removeLabel', { name: o.name })}
                    >
                      {t('submissionDesk.submission.remove')}
                    </Button>
                  )}
                </Group>
              ))}
            </Stack>
          )}
          {canWrite && !frozen && (
            <Group>
              <Button size="sm" variant="default" onClick={() => setForm({ kind: 'add' })}>
                {t('submissionDesk.form.addCoSignatory')}
              </Button>
            </Group>
          )}
        </Stack>
      </Section>

      <Section title={t('submissionDesk.submission.outcome')} testId="submission-outcome">
        <Stack gap="xs">
          {s.recommendations.length === 0 ? (
            <Text>{t('submissionDesk.submission.noOutcome')}</Text>
          ) : (
            <Stack component="ol" gap="xs" style={{ margin: 0 }}>
              {s.recommendations.map((r, index) => (
                <li key={index}>
                  <Group gap="xs">
                    <Badge color={r.accepted ? 'teal.9' : 'gray.8'}>
                      {t(r.accepted ? 'submissionDesk.submission.accepted' : 'submissionDesk.submission.noted')}
                    </Badge>
                    <Text component="span">{r.text}</Text>
                  </Group>
                  {r.cases.length > 0 && (
                    <Text size="sm">
                      {t('submissionDesk.submission.linkedCases')}{' '}
                      {r.cases.map((c, n) => (
                        <span key={c.id}>
                          {n > 0 && ', '}
                          <Anchor component={Link} to={`/cases/${encodeURIComponent(c.id)}`}>
                            {c.reference}
                          </Anchor>
                        </span>
                      ))}
                    </Text>
                  )}
                </li>
              ))}
            </Stack>
          )}
          {canWrite && frozen && (
            <Group>
              <Button size="sm" variant="default" onClick={() => setForm({ kind: 'outcome' })}>
                {t('submissionDesk.form.recordOutcome')}
              </Button>
            </Group>
          )}
        </Stack>
      </Section>

      <SubmissionFiles submissionId={s.id} version={s.version} />

      {canWrite && <TeamPanel recordId={s.id} />}

      {canWrite && (
        <>
          <AddCoSignatoryForm opened={form?.kind === 'add'} onClose={close} submission={s} />
          <RemoveCoSignatoryForm
            opened={form?.kind === 'remove'}
            onClose={close}
            submission={s}
            organisation={form?.kind === 'remove' ? form.organisation : null}
          />
          <RecordOutcomeForm opened={form?.kind === 'outcome'} onClose={close} submission={s} />
        </>
      )}
    </Stack>
  );
}

