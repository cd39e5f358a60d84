import { Accordion, Paper, Stack, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { FilesAccordionItem } from '../files/FilesAccordionItem';
import { FilesPanel } from '../files/FilesPanel';
import { graphql } from '../gql';
import { formatPartialDate } from './partialDate';

/** The case's files and each event's files (those the person may see), apart from the case's details. */
export const CaseFilesQuery = graphql(`
  query CaseFiles($id: ID!) {
    case(id: $id) {
      id
      files {
        ...FileRow
      }
      events(orderBy: DATE) {
        id
        type
        date
        files {
          ...FileRow
        }
      }
      victims {
        id
        name
        files {
          ...FileRow
        }
      }
    }
  }
`);

/** The "Files" section of the case page: the case's panel, then one panel per event and per victim (opened on demand). */
export function CaseFiles({ caseId, version }: { caseId: string; version: number }) {
  const { t, i18n } = useTranslation();
  const [{ data }, reexecute] = useQuery({ query: CaseFilesQuery, variables: { id: caseId } });
  const reload = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);
  // A new version of the case may be a new or corrected event (or a new level): read its files again.
  const shownVersion = useRef(version);
  useEffect(() => {
    if (shownVersion.current !== version) {
      shownVersion.current = version;
      reload();
    }
  }, [version, reload]);
  const c = data?.case;
  if (!c) {
    return null;
  }
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="section-case-files" data-testid="case-files">
      <Title order={2} size="h3" id="section-case-files" mb="sm">
        {t('files.title')}
      </Title>
      <Stack gap="md">
        <FilesPanel recordId={c.id} files={c.files} title={t('files.caseFiles')} onChanged={reload} testId="case-files-panel" />
        {c.events.length > 0 && (
          <Accordion variant="separated" chevronPosition="left">
            {c.events.map((e) => (
              <FilesAccordionItem
                key={e.id}
                itemProps={{ 'data-testid': 'event-files', 'data-event-id': e.id }}
                label={
                  <>
                    <Text fw={600} component="span">
                      {formatPartialDate(e.date, i18n.language)}
                    </Text>
                    <Text component="span">{t(`caseDesk.eventType.${e.type}`)}</Text>
                  </>
                }
                recordId={e.id}
                files={e.files}
                title={t('files.eventFiles')}
                onChanged={reload}
                testId="event-files-panel"
              />
            ))}
          </Accordion>
        )}
        {c.victims.length > 0 && (
          <Accordion variant="separated" chevronPosition="left">
            {c.victims.map((v) => (
              <FilesAccordionItem
                key={v.id}
                itemProps={{ 'data-testid': 'victim-files', 'data-victim-id': v.id }}
                label={
                  <Text fw={600} component="span">
                    {t('caseDesk.case.victimFilesOf', { name: v.name ?? t('caseDesk.case.defenderProfile') })}
                  </Text>
                }
                recordId={v.id}
                files={v.files}
                title={t('caseDesk.case.victimFiles')}
                onChanged={reload}
                testId="victim-files-panel"
              />
            ))}
          </Accordion>
        )}
      </Stack>
    </Paper>
  );
}
