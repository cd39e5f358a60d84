import { Anchor, Badge, Button, Center, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useClient, useQuery } from 'urql';
import { countryName } from '../cases/countries';
import { TeamPanel } from '../teamwork/TeamPanel';
import { formatDay, formatPartialDate } from '../cases/partialDate';
import { levelColor } from '../cases/vocabulary';
import type { DefenderProfileFragment } from '../gql/graphql';
import { DefenderFiles } from './DefenderFiles';
import { DefenderConfidentialQuery, DefenderDeskMeQuery, DefenderErasureRedactionsQuery, DefenderProfileQuery } from './documents';
import {
  AffiliateForm,
  ConfidentialDetailsForm,
  ConsentForm,
  EndAffiliationForm,
  EraseForm,
  MergeForm,
  RiskLevelForm,
  SituationForm,
  UpdateDefenderForm,
  type ConfidentialDetails,
} from './forms';
import { atLeast, displayName, riskColor, situationColor, writingRoles } from './vocabulary';
import { Section } from '../common/Section';

type OpenForm =
  | { kind: 'update' | 'consent' | 'situation' | 'affiliate' | 'risk' | 'confidential' | 'merge' | 'erase' }
  | { kind: 'end'; organisationId: string }
  | null;

/** /console/defenders/:id — the profile: consent, situation over time, cases, organisations, RESTRICTED details on demand, forms. */
export function DefenderProfilePage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const [{ data, fetching }] = useQuery({ query: DefenderProfileQuery, variables: { id } });
  const [{ data: me }] = useQuery({ query: DefenderDeskMeQuery });
  const [form, setForm] = useState<OpenForm>(null);
  const role = me?.me.role ?? '';
  const clearance = me?.me.clearance;
  const canWrite = writingRoles.includes(role);
  const d = data?.defender;

  if (!d) {
    return (
      <Stack>
        <Anchor component={Link} to="/defenders">
          {t('defenderDesk.profile.back')}
        </Anchor>
        {fetching ? (
          <Center py="xl">
            <Loader aria-label={t('defenderDesk.profile.loading')} />
          </Center>
        ) : (
          <>
            <Title order={1}>{t('defenderDesk.list.title')}</Title>
            <Text role="alert">{t('defenderDesk.profile.notFound')}</Text>
          </>
        )}
      </Stack>
    );
  }

  const shown = displayName(d, t);
  const close = () => setForm(null);
  const active = !d.erased;
  const current = d.affiliations.filter((a) => !a.endedOn);
  const ended = d.affiliations.filter((a) => a.endedOn);

  return (
    <Stack gap="lg">
      <Anchor component={Link} to="/defenders">
        {t('defenderDesk.profile.back')}
      </Anchor>
      <Stack gap={4}>
        <Title order={1} data-testid="defender-name">
          {shown.text}
          {shown.isPseudonym && (
            <Text component="span" size="md" fw={400}>
              {' '}
              ({t('defenderDesk.display.pseudonym')})
            </Text>
          )}
        </Title>
        <Group gap="xs">
          <Badge color={situationColor[d.situation]} data-testid="defender-situation">
            {t(`defenderDesk.situation.${d.situation}`)}
          </Badge>
          <Badge color={levelColor[d.confidentiality]}>{t(`clearance.${d.confidentiality}`)}</Badge>
          {d.riskLevel && (
            <Badge color={riskColor[d.riskLevel]} data-testid="defender-risk">
              {t('defenderDesk.profile.riskLevel', { value: t(`defenderDesk.risk.${d.riskLevel}`) })}
            </Badge>
          )}
          <Text size="sm">{countryName(d.country.code, locale)}</Text>
          {d.gender && <Text size="sm">· {t('defenderDesk.profile.gender', { value: t(`defenderDesk.gender.${d.gender}`) })}</Text>}
          <Text size="sm" data-testid="defender-version">
            · {t('defenderDesk.profile.version', { version: d.version })}
          </Text>
        </Group>
        {d.thematicAreas.length > 0 && <Text size="sm">{t('defenderDesk.profile.themes', { list: d.thematicAreas.join(', ') })}</Text>}
        {d.erased && (
          <Text role="status" c="red.9" fw={600}>
            {t('defenderDesk.profile.erased')}
          </Text>
        )}
      </Stack>

      {canWrite && active && (
        <Group gap="xs" role="group" aria-label={t('defenderDesk.profile.actions')}>
          <Button size="sm" variant="default" onClick={() => setForm({ kind: 'update' })}>
            {t('defenderDesk.form.update')}
          </Button>
          <Button size="sm" variant="default" onClick={() => setForm({ kind: 'consent' })}>
            {t('defenderDesk.form.consent')}
          </Button>
          <Button size="sm" variant="default" onClick={() => setForm({ kind: 'situation' })}>
            {t('defenderDesk.form.situation')}
          </Button>
          <Button size="sm" variant="default" onClick={() => setForm({ kind: 'affiliate' })}>
            {t('defenderDesk.form.affiliate')}
          </Button>
          {atLeast(clearance, 'STAFF') && (
            <Button size="sm" variant="default" onClick={() => setForm({ kind: 'risk' })}>
              {t('defenderDesk.form.risk')}
            </Button>
          )}
          {atLeast(clearance, 'RESTRICTED') && (
            <Button size="sm" variant="default" onClick={() => setForm({ kind: 'confidential' })}>
              {t('defenderDesk.form.confidential')}
            </Button>
          )}
          <Button size="sm" variant="default" onClick={() => setForm({ kind: 'merge' })}>
            {t('defenderDesk.form.merge')}
          </Button>
          {role === 'ADMIN' && (
            <Button size="sm" color="red.9" onClick={() => setForm({ kind: 'erase' })}>
              {t('defenderDesk.form.erase')}
            </Button>
          )}
        </Group>
      )}

      {d.erased && role === 'ADMIN' && <ErasureRedactions defenderId={d.id} />}

      <Section title={t('defenderDesk.profile.consent')} testId="defender-consent">
        <ConsentView defender={d} />
      </Section>

      <DefenderFiles defenderId={d.id} erased={d.erased ?? false} />

      {canWrite && <TeamPanel recordId={d.id} />}

      <Section title={t('defenderDesk.profile.situations')} testId="defender-situations">
        {d.situationHistory.length === 0 ? (
          <Text>{t('defenderDesk.profile.noSituations')}</Text>
        ) : (
          <Table.ScrollContainer minWidth={560}>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('defenderDesk.profile.situationDate')}</Table.Th>
                  <Table.Th scope="col">{t('defenderDesk.profile.situationValue')}</Table.Th>
                  <Table.Th scope="col">{t('defenderDesk.profile.situationSource')}</Table.Th>
                  <Table.Th scope="col">{t('defenderDesk.profile.situationLevel')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {d.situationHistory.map((s, index) => (
                  <Table.Tr key={`${s.date}-${index}`}>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatPartialDate(s.date, locale)}</Table.Td>
                    <Table.Td>{t(`defenderDesk.situation.${s.situation}`)}</Table.Td>
                    <Table.Td>
                      {s.case ? (
                        <Anchor component={Link} to={`/cases/${encodeURIComponent(s.case.id)}`}>
                          {s.case.reference}
                        </Anchor>
                      ) : s.fromCase ? (
                        t('defenderDesk.profile.fromHiddenCase')
                      ) : (
                        t('defenderDesk.profile.fromProfile')
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Badge size="sm" color={levelColor[s.confidentiality]}>
                        {t(`clearance.${s.confidentiality}`)}
                      </Badge>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Section>

      <Section title={t('defenderDesk.profile.cases')} testId="defender-cases">
        {d.cases.length === 0 ? (
          <Text>{t('defenderDesk.profile.noCases')}</Text>
        ) : (
          <Stack component="ul" gap={4} style={{ listStyle: 'none', padding: 0, margin: 0 }}>
            {d.cases.map((c) => (
              <Group component="li" key={c.id} gap="xs">
                <Anchor component={Link} to={`/cases/${encodeURIComponent(c.id)}`}>
                  {c.reference}
                </Anchor>
                <Text component="span">{c.title}</Text>
                <Text component="span" size="sm">
                  · {t(`defenderDesk.caseStatus.${c.status}`)} · {t('defenderDesk.profile.openedOn', { date: formatDay(c.openedOn, locale) })}
                </Text>
              </Group>
            ))}
          </Stack>
        )}
      </Section>

      <Section title={t('defenderDesk.profile.organisations')} testId="defender-organisations">
        {d.affiliations.length === 0 ? (
          <Text>{t('defenderDesk.profile.noOrganisations')}</Text>
        ) : (
          <Stack component="ul" gap={4} style={{ listStyle: 'none', padding: 0, margin: 0 }}>
            {[...current, ...ended].map((a, index) => (
              <Group component="li" key={`${a.organisation.id}-${index}`} gap="xs">
                <Text component="span" fw={600}>
                  {a.organisation.name}
                </Text>
                <Text component="span" size="sm">
                  ({countryName(a.organisation.country.code, locale)})
                </Text>
                {a.endedOn ? (
                  <Text component="span" size="sm">
                    · {t('defenderDesk.profile.endedOn', { date: formatDay(a.endedOn, locale) })}
                    {a.reason ? ` · ${t('defenderDesk.profile.endReason', { reason: a.reason })}` : ''}
                  </Text>
                ) : (
                  <>
                    <Badge size="sm" color="teal.9">
                      {t('defenderDesk.profile.current')}
                    </Badge>
                    {canWrite && active && (
                      <Button
                        size="compact-xs"
                        variant="subtle"
                        onClick={() => setForm({ kind: 'end', organisationId: a.organisation.id })}
                        aria-label={t('defenderDesk.profile.endAffiliationLabel', { name: a.organisation.name })}
                      >
                        {t('defenderDesk.profile.end')}
                      </Button>
                    )}
                  </>
                )}
              </Group>
            ))}
          </Stack>
        )}
      </Section>

      {atLeast(clearance, 'RESTRICTED') && active && (
        <ConfidentialSection
          defenderId={d.id}
          version={d.version}
          editing={form?.kind === 'confidential'}
          close={close}
          defender={d}
          canWrite={canWrite}
        />
      )}

      {canWrite && active && (
        <>
          <UpdateDefenderForm opened={form?.kind === 'update'} onClose={close} defender={d} />
          <ConsentForm opened={form?.kind === 'consent'} onClose={close} defender={d} />
          <SituationForm opened={form?.kind === 'situation'} onClose={close} defender={d} />
          <AffiliateForm opened={form?.kind === 'affiliate'} onClose={close} defender={d} />
          <EndAffiliationForm
            opened={form?.kind === 'end'}
            onClose={close}
            defender={d}
            organisationId={form?.kind === 'end' ? form.organisationId : ''}
          />
          {atLeast(clearance, 'STAFF') && <RiskLevelForm opened={form?.kind === 'risk'} onClose={close} defender={d} />}
          <MergeForm opened={form?.kind === 'merge'} onClose={close} defender={d} />
          {role === 'ADMIN' && <EraseForm opened={form?.kind === 'erase'} onClose={close} defender={d} />}
        </>
      )}
    </Stack>
  );
}

function ConsentView({ defender }: { defender: DefenderProfileFragment }) {
  const { t, i18n } = useTranslation();
  const yesNo = (value: boolean) => t(value ? 'defenderDesk.profile.yes' : 'defenderDesk.profile.no');
  const consent = defender.consent;
  return (
    <Stack gap={4}>
      <Text>
        {t('defenderDesk.profile.consentName')}: <strong>{yesNo(consent?.toPublishName ?? defender.consentToPublishName)}</strong>
      </Text>
      <Text>
        {t('defenderDesk.profile.consentPortrait')}: <strong>{yesNo(consent?.toPublishPortrait ?? defender.consentToPublishPortrait)}</strong>
      </Text>
      {consent && (consent.givenOn || consent.recordedBy) ? (
        <Text size="sm">
          {consent.givenOn && t('defenderDesk.profile.consentGivenOn', { date: formatDay(consent.givenOn, i18n.language) })}
          {consent.givenOn && consent.recordedBy && ' · '}
          {consent.recordedBy && t('defenderDesk.profile.consentRecordedBy', { who: consent.recordedBy })}
        </Text>
      ) : consent ? (
        <Text size="sm">{t('defenderDesk.profile.consentNone')}</Text>
      ) : null}
    </Stack>
  );
}

/**
 * The RESTRICTED details: nothing is asked of the API until the person clicks "reveal"; each click is one read of
 * defender { contact location family riskNotes } from the network (never from the cache), which the API records in
 * the profile's audit trail. "Hide" forgets them.
 */
function ConfidentialSection({
  defenderId,
  version,
  defender,
  canWrite,
  editing,
  close,
}: {
  defenderId: string;
  version: number;
  defender: DefenderProfileFragment;
  canWrite: boolean;
  editing: boolean;
  close: () => void;
}) {
  const { t } = useTranslation();
  const client = useClient();
  const [revealed, setRevealed] = useState<{ version: number; details: ConfidentialDetails } | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const details = revealed && revealed.version === version ? revealed.details : null;

  const reveal = async () => {
    setBusy(true);
    setProblem(null);
    try {
      const result = await client.query(DefenderConfidentialQuery, { id: defenderId }, { requestPolicy: 'network-only' }).toPromise();
      const found = result.data?.defender;
      if (result.error || !found) {
        setProblem(result.error?.graphQLErrors[0]?.message ?? result.error?.message ?? t('defenderDesk.profile.notFound'));
        return;
      }
      setRevealed({
        version,
        details: { contact: found.contact, location: found.location, family: found.family, riskNotes: found.riskNotes },
      });
    } finally {
      setBusy(false);
    }
  };

  const value = (text: string | null | undefined) => (text ? text : t('defenderDesk.profile.empty'));
  return (
    <Section title={t('defenderDesk.profile.confidential')} testId="defender-confidential">
      <Stack gap="xs">
        <Text size="sm">{t('defenderDesk.profile.confidentialHint')}</Text>
        {details ? (
          <>
            <Table variant="vertical" withTableBorder data-testid="confidential-details">
              <Table.Tbody>
                {(['contact', 'location', 'family', 'riskNotes'] as const).map((field) => (
                  <Table.Tr key={field}>
                    <Table.Th scope="row" w={180}>
                      {t(`defenderDesk.profile.${field}`)}
                    </Table.Th>
                    <Table.Td style={{ whiteSpace: 'pre-wrap' }}>{value(details[field])}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            <Group>
              <Button size="sm" variant="default" onClick={() => setRevealed(null)}>
                {t('defenderDesk.profile.hide')}
              </Button>
            </Group>
          </>
        ) : (
          <Group>
            <Button size="sm" onClick={() => void reveal()} loading={busy} disabled={busy}>
              {t('defenderDesk.profile.reveal')}
            </Button>
          </Group>
        )}
        {problem && <Text role="alert">{problem}</Text>}
      </Stack>
      {canWrite && <ConfidentialDetailsForm opened={editing} onClose={close} defender={defender} revealed={details} />}
    </Section>
  );
}


/** The page of each record kind the erasure may have redacted; a digest or a task has none of its own. */
const redactedRecordPaths: Record<string, (id: string) => string> = {
  Case: (id) => `/cases/${id}`,
  Article: (id) => `/news/${id}`,
};

/**
 * ADMIN, on an erased profile: what the erasure redacted outside the profile — each record whose free text named the
 * person, which texts and how many times (never the name) — so the admin can check the rest by hand (a first name or a
 * surname alone is not looked for).
 */
function ErasureRedactions({ defenderId }: { defenderId: string }) {
  const { t } = useTranslation();
  const [{ data, fetching, error }] = useQuery({ query: DefenderErasureRedactionsQuery, variables: { id: defenderId } });
  const records = data?.defender?.erasureRedactions ?? [];
  return (
    <Section title={t('defenderDesk.redactions.title')} testId="defender-redactions">
      <Text size="sm" mb="sm">
        {t('defenderDesk.redactions.intro')}
      </Text>
      {fetching ? (
        <Loader size="sm" aria-label={t('defenderDesk.redactions.loading')} />
      ) : error ? (
        <Text role="alert">{t('defenderDesk.redactions.error')}</Text>
      ) : records.length === 0 ? (
        <Text>{t('defenderDesk.redactions.none')}</Text>
      ) : (
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('defenderDesk.redactions.record')}</Table.Th>
              <Table.Th scope="col">{t('defenderDesk.redactions.fields')}</Table.Th>
              <Table.Th scope="col">{t('defenderDesk.redactions.occurrences')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {records.map((r) => {
              const path = redactedRecordPaths[r.recordType]?.(encodeURIComponent(r.recordId));
              const name = `${t(`defenderDesk.redactions.kind.${r.recordType}`, { defaultValue: r.recordType })}: ${r.label}`;
              return (
                <Table.Tr key={r.recordId}>
                  <Table.Td>
                    {path ? (
                      <Anchor component={Link} to={path}>
                        {name}
                      </Anchor>
                    ) : (
                      name
                    )}
                  </Table.Td>
                  <Table.Td>{r.fields.map((f) => t(`defenderDesk.redactions.field.${f.replace(/\./g, '_')}`, { defaultValue: f })).join(', ')}</Table.Td>
                  <Table.Td>{r.occurrences}</Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
    </Section>
  );
}
