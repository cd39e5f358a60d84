import { Accordion, Stack, Text } from '@mantine/core';
import { useCallback, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { FilesAccordionItem } from '../files/FilesAccordionItem';
import { FilesPanel } from '../files/FilesPanel';
import { graphql } from '../gql';
import { Section } from '../common/Section';

/** The submission's files (those the person may see), apart from the submission's details. */
export const SubmissionFilesQuery = graphql(`
  query SubmissionFiles($id: ID!) {
    node(id: $id) {
      ... on Submission {
        id
        files {
          ...FileRow
        }
      }
    }
  }
`);

/** The inputs' files (each input the person may read, with the files it may see). */
export const CallInputFilesQuery = graphql(`
  query CallInputFiles($id: ID!) {
    node(id: $id) {
      ... on CallForInput {
        id
        inputs {
          id
          organisation {
            id
            name
          }
          files {
            ...FileRow
          }
        }
      }
    }
  }
`);

/** Reads the files again (network-only) when the record's version changes: a new input, a replaced one. */
function useReload(reexecute: (opts: { requestPolicy: 'network-only' }) => void, version: number) {
  const reload = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);
  const shownVersion = useRef(version);
  useEffect(() => {
    if (shownVersion.current !== version) {
      shownVersion.current = version;
      reload();
    }
  }, [version, reload]);
  return reload;
}

/** The "Files" section of the submission page: the submitted document, its drafts… (staff attach, within clearance). */
export function SubmissionFiles({ submissionId, version }: { submissionId: string; version: number }) {
  const { t } = useTranslation();
  const [{ data }, reexecute] = useQuery({ query: SubmissionFilesQuery, variables: { id: submissionId } });
  const reload = useReload(reexecute, version);
  const s = data?.node?.__typename === 'Submission' ? data.node : null;
  if (!s) {
    return null;
  }
  return (
    <Section title={t('submissionDesk.files.title')} testId="submission-files">
      <FilesPanel recordId={s.id} files={s.files} title={t('submissionDesk.files.submissionFiles')} onChanged={reload} testId="submission-files-panel" />
    </Section>
  );
}

/**
 * The "Files of the inputs" section of a call's page: one panel per input the person may read (opened on demand). Staff
 * attach to any; a member organisation to its own input while the call is open (the API decides; this only offers).
 */
export function CallInputFiles({
  callId,
  version,
  staff,
  ownOrganisationId,
  open,
}: {
  callId: string;
  version: number;
  staff: boolean;
  ownOrganisationId: string | null;
  open: boolean;
}) {
  const { t } = useTranslation();
  const [{ data }, reexecute] = useQuery({ query: CallInputFilesQuery, variables: { id: callId } });
  const reload = useReload(reexecute, version);
  const call = data?.node?.__typename === 'CallForInput' ? data.node : null;
  if (!call || call.inputs.length === 0) {
    return null;
  }
  return (
    <Section title={t('submissionDesk.files.inputFiles')} testId="call-input-files">
      <Stack gap="sm">
        <Accordion variant="separated" chevronPosition="left" defaultValue={ownOrganisationId ? call.inputs.find((i) => i.organisation.id === ownOrganisationId)?.id : undefined}>
          {call.inputs.map((i) => (
            <FilesAccordionItem
              key={i.id}
              itemProps={{ 'data-testid': 'input-files', 'data-input-id': i.id, 'data-organisation-id': i.organisation.id }}
              label={
                <Text fw={600} component="span">
                  {i.organisation.name}
                </Text>
              }
              recordId={i.id}
              files={i.files}
              title={t('submissionDesk.files.inputFilesOf', { name: i.organisation.name })}
              onChanged={reload}
              testId="input-files-panel"
              canAttach={staff || (open && i.organisation.id === ownOrganisationId)}
            />
          ))}
        </Accordion>
      </Stack>
    </Section>
  );
}
