import { Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { FilesPanel, Preview } from '../files/FilesPanel';
import { graphql } from '../gql';

/** The defender's portrait (the latest the person may see) and files, apart from the profile's details. */
export const DefenderFilesQuery = graphql(`
  query DefenderFiles($id: ID!) {
    defender(id: $id) {
      id
      consentToPublishPortrait
      portrait {
        ...FileRow
        purpose
      }
      files {
        ...FileRow
        purpose
      }
    }
  }
`);

/**
 * The portrait workflow: an image uploaded as the PORTRAIT, shown as the profile's picture; the Public level is offered
 * only while the defender consented to the publication of a portrait (the API refuses it otherwise, by the news
 * module's rule). Documents apart, with their own panel. An erased person takes no file any more (the API refuses it):
 * no upload form then.
 */
export function DefenderFiles({ defenderId, erased = false }: { defenderId: string; erased?: boolean }) {
  const { t } = useTranslation();
  const [{ data }, reexecute] = useQuery({ query: DefenderFilesQuery, variables: { id: defenderId } });
  const reload = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);
  const d = data?.defender;
  if (!d) {
    return null;
  }
  const portraits = d.files.filter((f) => f.purpose === 'PORTRAIT');
  const documents = d.files.filter((f) => f.purpose !== 'PORTRAIT');
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="section-defender-files" data-testid="defender-files">
      <Title order={2} size="h3" id="section-defender-files" mb="sm">
        {t('files.portraitFiles')}
      </Title>
      <Stack gap="md">
        <Group gap="md" align="center" data-testid="defender-portrait">
          {d.portrait ? (
            <Preview file={d.portrait} size={96} />
          ) : (
            <Text size="sm">{t('files.noPortrait')}</Text>
          )}
          <Text size="sm">{d.consentToPublishPortrait ? t('files.portraitConsent') : t('files.portraitNoConsent')}</Text>
        </Group>
        <FilesPanel
          recordId={d.id}
          files={portraits}
          title={t('files.portraits')}
          uploadLabel={t('files.uploadPortrait')}
          purpose="PORTRAIT"
          publicAllowed={d.consentToPublishPortrait}
          publicRefusedReason={t('files.portraitNoConsent')}
          onChanged={reload}
          testId="defender-portrait-panel"
          canAttach={erased ? false : undefined}
        />
        <FilesPanel
          recordId={d.id}
          files={documents}
          title={t('files.documents')}
          onChanged={reload}
          testId="defender-documents-panel"
          canAttach={erased ? false : undefined}
        />
        {erased && <Text size="sm">{t('files.erasedTakesNoFiles')}</Text>}
      </Stack>
    </Paper>
  );
}
