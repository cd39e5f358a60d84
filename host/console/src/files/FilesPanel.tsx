import {
  Alert,
  Anchor,
  Badge,
  Button,
  FileInput,
  Group,
  Image,
  Modal,
  Paper,
  Progress,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  ThemeIcon,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useClient, useMutation, useQuery } from 'urql';
import { CaseFormModal } from '../cases/CaseFormModal';
import { CaseDeskMeQuery } from '../cases/documents';
import { levelColor, levels } from '../cases/vocabulary';
import { newClientMutationId, problemOf } from '../common/mutationErrors';
import type { Confidentiality, FilePurpose, FileRowFragment } from '../gql/graphql';
import { useFormat } from '../i18n/format';
import { AttachFileMutation, FileQuery, ReclassifyFileMutation } from './documents';
import './i18n';
import { useBytes, useTusUpload } from './useTusUpload';

export interface FilesPanelProps {
  /** The record the files are attached to (a case, a case event, a defender…): attachFile's recordId. */
  recordId: string;
  /** The record's files as the API gave them (the files the person may see). */
  files: FileRowFragment[];
  /** The heading (the case's files, an event's files…). */
  title: string;
  /** Reads the record again (network-only) after a file was attached or re-classified. */
  onChanged: () => void;
  /** False where a PUBLIC file is not allowed (e.g. a defender's portrait without consent to publish it). */
  publicAllowed?: boolean;
  /** Why PUBLIC is not offered, shown next to the level (e.g. "no consent to publish the portrait"). */
  publicRefusedReason?: string;
  /** Shown above the list: the upload form's own label (e.g. "Upload a portrait"). */
  uploadLabel?: string;
  /** A test id for the panel's section. */
  testId?: string;
  /** Headings' level in the page (default 3: under a section's h2). */
  headingOrder?: 2 | 3 | 4;
  /** What an upload here is (attachFile's purpose): a defender's PORTRAIT, else the API's default DOCUMENT. */
  purpose?: FilePurpose;
  /** The roles offered upload and re-classification where the record's module asks more than STAFF (an article: its editors). */
  writerRoles?: string[];
  /** Whether the person may attach files here, when the record says more than the role (a member organisation: on its own input to an open call); default: by writerRoles. */
  canAttach?: boolean;
}

const writers = ['STAFF', 'EDITOR', 'ADMIN', 'SYSTEM'];

/** Levels up to the person's clearance (an upload or a re-classification is never above it). */
function levelsUpTo(clearance: string | undefined, publicAllowed: boolean): Confidentiality[] {
  const top = levels.indexOf((clearance ?? 'PUBLIC') as Confidentiality);
  return levels.filter((l, i) => i <= top && (publicAllowed || l !== 'PUBLIC'));
}

/** A type's kind, for the icon shown when there is no preview. */
function kindOf(mediaType: string): 'image' | 'pdf' | 'audio' | 'video' | 'text' | 'other' {
  if (mediaType.startsWith('image/')) return 'image';
  if (mediaType === 'application/pdf') return 'pdf';
  if (mediaType.startsWith('audio/')) return 'audio';
  if (mediaType.startsWith('video/')) return 'video';
  if (mediaType.startsWith('text/')) return 'text';
  return 'other';
}

const kindLabel = { image: 'IMG', pdf: 'PDF', audio: 'AUD', video: 'VID', text: 'TXT', other: 'FILE' } as const;

/** The file's thumbnail (GET /files/{id}/thumbnail, same-origin with the session) or, without one, its type's icon. */
export function Preview({ file, size }: { file: FileRowFragment; size: number }) {
  const { t } = useTranslation();
  const thumbnailUrl = file.thumbnailUrl;
  const [failed, setFailed] = useState(false);
  if (thumbnailUrl && !failed) {
    return (
      <Image
        src={thumbnailUrl}
        alt={t('files.previewOf', { name: file.fileName })}
        w={size}
        h={size}
        fit="contain"
        radius="sm"
        onError={() => setFailed(true)}
        data-testid="file-thumbnail"
      />
    );
  }
  const kind = kindOf(file.mediaType);
  return (
    <ThemeIcon
      size={size}
      variant="light"
      color="gray"
      radius="sm"
      role="img"
      aria-label={t(`files.kind.${kind}`)}
      data-testid="file-type-icon"
    >
      <Text fw={700} size={size > 60 ? 'lg' : 'xs'} c="dark">
        {kindLabel[kind]}
      </Text>
    </ThemeIcon>
  );
}

/**
 * A record's files: upload (tus, resumable, with progress, pause and resume), then attach (attachFile, with its level);
 * each file with its preview, download link, level (re-classified with expectedVersion) and chain of custody. The API
 * gives only the files the person may see; the panel offers writing to STAFF and above, levels up to the person's
 * clearance.
 */
export function FilesPanel({
  recordId,
  files,
  title,
  onChanged,
  publicAllowed = true,
  publicRefusedReason,
  uploadLabel,
  testId = 'files-panel',
  headingOrder = 3,
  purpose,
  writerRoles = writers,
  canAttach,
}: FilesPanelProps) {
  const { t } = useTranslation();
  const format = useFormat();
  const bytes = useBytes();
  const [{ data: me }] = useQuery({ query: CaseDeskMeQuery });
  const canWrite = writerRoles.includes(me?.me.role ?? '');
  const [previewing, setPreviewing] = useState<string | null>(null);
  const [custodyOf, setCustodyOf] = useState<string | null>(null);
  const [reclassifying, setReclassifying] = useState<string | null>(null);
  const headingId = `files-${recordId}`.replace(/[^A-Za-z0-9_-]/g, '-');
  const find = (id: string | null) => files.find((f) => f.id === id);

  return (
    <Paper withBorder p="sm" component="section" aria-labelledby={headingId} data-testid={testId} data-record-id={recordId}>
      <Title order={headingOrder} size="h4" id={headingId} mb="xs">
        {title}
      </Title>
      {files.length === 0 ? (
        <Text size="sm">{t('files.none')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('files.preview')}</Table.Th>
                <Table.Th scope="col">{t('files.name')}</Table.Th>
                <Table.Th scope="col">{t('files.size')}</Table.Th>
                <Table.Th scope="col">{t('files.level')}</Table.Th>
                <Table.Th scope="col">{t('files.uploaded')}</Table.Th>
                <Table.Th scope="col">{t('files.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {files.map((f) => {
                return (
                  <Table.Tr key={f.id} data-testid="file-row" data-file-id={f.id} data-sha256={f.sha256}>
                    <Table.Td>
                      <Preview file={f} size={40} />
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" fw={600} data-testid="file-name">
                        {f.fileName}
                      </Text>
                      <Text size="xs">{f.mediaType}</Text>
                      {f.description && <Text size="xs">{f.description}</Text>}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" data-testid="file-size">
                        {bytes(f.size)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Badge size="sm" color={levelColor[f.confidentiality]} data-testid="file-level">
                        {t(`clearance.${f.confidentiality}`)}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{format.dateTime(f.uploadedAt)}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4} wrap="nowrap">
                        <Button size="compact-xs" variant="subtle" onClick={() => setPreviewing(f.id)} aria-label={t('files.previewLabel', { name: f.fileName })}>
                          {t('files.open')}
                        </Button>
                        <Anchor
                          size="xs"
                          href={f.downloadUrl}
                          download={f.fileName}
                          aria-label={t('files.downloadLabel', { name: f.fileName })}
                          data-testid="file-download"
                        >
                          {t('files.download')}
                        </Anchor>
                        <Button size="compact-xs" variant="subtle" onClick={() => setCustodyOf(f.id)} aria-label={t('files.custodyLabel', { name: f.fileName })}>
                          {t('files.custody')}
                        </Button>
                        {canWrite && (
                          <Button
                            size="compact-xs"
                            variant="subtle"
                            onClick={() => setReclassifying(f.id)}
                            aria-label={t('files.reclassifyLabel', { name: f.fileName })}
                          >
                            {t('files.reclassify')}
                          </Button>
                        )}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {(canAttach ?? canWrite) && (
        <UploadForm
          recordId={recordId}
          clearance={me?.me.clearance}
          publicAllowed={publicAllowed}
          publicRefusedReason={publicRefusedReason}
          label={uploadLabel ?? t('files.upload')}
          purpose={purpose}
          onAttached={onChanged}
        />
      )}
      <PreviewModal file={find(previewing)} onClose={() => setPreviewing(null)} />
      <CustodyModal file={find(custodyOf)} onClose={() => setCustodyOf(null)} />
      <ReclassifyForm
        file={find(reclassifying)}
        clearance={me?.me.clearance}
        publicAllowed={publicAllowed}
        onClose={() => setReclassifying(null)}
        onDone={onChanged}
      />
    </Paper>
  );
}

type UploadState =
  | { phase: 'idle' }
  | { phase: 'sending' | 'paused' | 'retrying'; sent: number; total: number; attempt?: number }
  | { phase: 'attaching'; total: number; uploadId: string }
  | { phase: 'failed'; message: string; uploadId?: string };

function UploadForm({
  recordId,
  clearance,
  publicAllowed,
  publicRefusedReason,
  label,
  purpose,
  onAttached,
}: {
  purpose?: FilePurpose;
  recordId: string;
  clearance: string | undefined;
  publicAllowed: boolean;
  publicRefusedReason?: string;
  label: string;
  onAttached: () => void;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const bytes = useBytes();
  const [, attach] = useMutation(AttachFileMutation);
  const [state, setState] = useState<UploadState>({ phase: 'idle' });
  const transfer = useTusUpload(setState);
  const clientMutationId = useRef(newClientMutationId());
  const form = useForm({
    mode: 'controlled',
    initialValues: { file: null as File | null, description: '', confidentiality: 'STAFF' as string },
    validate: {
      file: (v) => (v ? transfer.tooLarge(v) : t('files.required')),
      description: (v) => (v.length > 2000 ? t('files.descriptionTooLong') : null),
    },
  });
  const options = levelsUpTo(clearance, publicAllowed).map((l) => ({ value: l, label: t(`clearance.${l}`) }));
  // STAFF by default, as the API; a person below it (a member organisation: NETWORK) starts at its own clearance.
  const highest = options.at(-1)?.value ?? null;
  useEffect(() => {
    if (clearance && highest && levels.indexOf(highest) < levels.indexOf('STAFF')) {
      form.setFieldValue('confidentiality', highest);
    }
  }, [clearance, highest]);

  const attachUpload = async (uploadId: string, total: number) => {
    setState({ phase: 'attaching', total, uploadId });
    const values = form.getValues();
    const result = await attach({
      input: {
        clientMutationId: clientMutationId.current,
        recordId,
        uploadId,
        confidentiality: values.confidentiality as Confidentiality,
        description: values.description.trim() || null,
        ...(purpose ? { purpose } : {}),
      },
    });
    if (result.error) {
      const problem = problemOf(result.error);
      if (problem.kind === 'validation' && ['confidentiality', 'description'].includes(problem.field.replace(/^input\./, ''))) {
        form.setFieldError(problem.field.replace(/^input\./, ''), problem.message);
      }
      setState({ phase: 'failed', uploadId, message: t('files.error.attach', { message: 'message' in problem ? problem.message : '' }) });
      return;
    }
    clientMutationId.current = newClientMutationId();
    form.reset();
    setState({ phase: 'idle' });
    onAttached();
  };

  const submit = async (values: typeof form.values) => {
    if (state.phase === 'failed' && state.uploadId) {
      await attachUpload(state.uploadId, values.file?.size ?? 0);
      return;
    }
    const file = values.file!;
    await transfer.send(file, {
      onSuccess: (uploadId) => void attachUpload(uploadId, file.size),
      onError: (failure) => setState({ phase: 'failed', message: transfer.messageOf(failure) }),
    });
  };

  const pause = async () => {
    if (state.phase === 'sending' || state.phase === 'retrying') {
      await transfer.pause();
      setState({ ...state, phase: 'paused' });
    }
  };

  const resume = () => {
    if (state.phase === 'paused') {
      setState({ ...state, phase: 'sending' });
      transfer.resume();
    }
  };

  const busy = state.phase === 'sending' || state.phase === 'retrying' || state.phase === 'paused' || state.phase === 'attaching';
  const progress = 'total' in state ? (state.phase === 'attaching' ? state.total : state.sent) : 0;
  const total = 'total' in state ? state.total : 0;
  const percent = total > 0 ? Math.floor((progress / total) * 100) : 0;

  return (
    <form onSubmit={form.onSubmit((v) => void submit(v))} noValidate aria-label={label} data-testid="file-upload-form">
      <Stack gap="xs" mt="sm">
        <Group align="flex-end" gap="sm" wrap="wrap">
          <FileInput
            label={label}
            clearable
            clearButtonProps={{ 'aria-label': t('files.clear') }}
            disabled={busy}
            description={transfer.max !== null ? t('files.maxSize', { max: bytes(transfer.max) }) : undefined}
            style={{ flex: '1 1 220px' }}
            {...form.getInputProps('file')}
            onChange={(file) => {
              form.setFieldValue('file', file);
              if (state.phase === 'failed') setState({ phase: 'idle' });
            }}
          />
          <TextInput label={t('files.description')} disabled={busy} style={{ flex: '2 1 240px' }} {...form.getInputProps('description')} />
          <Select
            label={t('files.level')}
            allowDeselect={false}
            data={options}
            disabled={busy}
            description={!publicAllowed ? publicRefusedReason : undefined}
            style={{ flex: '0 1 180px' }}
            {...form.getInputProps('confidentiality')}
          />
          <Button type="submit" disabled={busy} loading={state.phase === 'attaching'}>
            {state.phase === 'failed' && state.uploadId ? t('files.attachAgain') : t('files.send')}
          </Button>
        </Group>
        {busy && (
          <Stack gap={4} data-testid="upload-progress">
            <Progress value={state.phase === 'attaching' ? 100 : percent} aria-label={t('files.progress')} animated={state.phase === 'sending'} />
            <Group gap="sm" justify="space-between">
              <Text size="sm" aria-live="polite" data-testid="upload-status" data-phase={state.phase}>
                {state.phase === 'attaching'
                  ? t('files.attaching', { percent: format.number(100), sent: bytes(total), total: bytes(total) })
                  : t(`files.phase.${state.phase}`, {
                      percent: format.number(percent),
                      sent: bytes(progress),
                      total: bytes(total),
                      attempt: 'attempt' in state ? state.attempt : 1,
                    })}
              </Text>
              {(state.phase === 'sending' || state.phase === 'retrying') && (
                <Button size="compact-sm" variant="default" onClick={() => void pause()}>
                  {t('files.pause')}
                </Button>
              )}
              {state.phase === 'paused' && (
                <Button size="compact-sm" onClick={resume}>
                  {t('files.resume')}
                </Button>
              )}
            </Group>
          </Stack>
        )}
        {state.phase === 'failed' && (
          <Alert color="red" variant="light" role="alert" data-testid="upload-error">
            {state.message}
          </Alert>
        )}
      </Stack>
    </form>
  );
}

/** Who a custody entry names: "you" for the person's own credential, else the credential as the audit trail records it. */
function useWho() {
  const { t } = useTranslation();
  const [{ data: me }] = useQuery({ query: CaseDeskMeQuery });
  return (by: string | null | undefined) => (by ? (by === me?.me.id ? t('files.you') : by) : '—');
}

/** The file with its custody, asked when a modal opens (network-only: a download since the page loaded is in it). */
function useFileWithCustody(file: FileRowFragment | undefined) {
  const [{ data, fetching, error }] = useQuery({
    query: FileQuery,
    variables: { id: file?.id ?? '' },
    pause: !file,
    requestPolicy: 'network-only',
  });
  const fresh = data?.node?.__typename === 'File' && data.node.id === file?.id ? data.node : undefined;
  return { fresh, fetching, error };
}

function PreviewModal({ file, onClose }: { file: FileRowFragment | undefined; onClose: () => void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const bytes = useBytes();
  const who = useWho();
  const { fresh } = useFileWithCustody(file);
  const uploadedBy = fresh?.custody?.find((c) => c.kind === 'UPLOADED')?.by;
  return (
    <Modal opened={!!file} onClose={onClose} title={file?.fileName ?? ''} size="lg" closeButtonProps={{ 'aria-label': t('files.close') }}>
      {file && (
        <Stack gap="sm" data-testid="file-preview">
          <Group justify="center">
            <Preview file={file} size={240} />
          </Group>
          <Table variant="vertical" withTableBorder>
            <Table.Tbody>
              <Table.Tr>
                <Table.Th scope="row">{t('files.type')}</Table.Th>
                <Table.Td>{file.mediaType}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th scope="row">{t('files.size')}</Table.Th>
                <Table.Td>{t('files.sizeExact', { size: bytes(file.size), bytes: format.number(file.size) })}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th scope="row">{t('files.level')}</Table.Th>
                <Table.Td>{t(`clearance.${file.confidentiality}`)}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th scope="row">{t('files.uploaded')}</Table.Th>
                <Table.Td data-testid="file-uploaded">
                  {uploadedBy ? t('files.uploadedAtBy', { at: format.dateTime(file.uploadedAt), who: who(uploadedBy) }) : format.dateTime(file.uploadedAt)}
                </Table.Td>
              </Table.Tr>
              {file.description && (
                <Table.Tr>
                  <Table.Th scope="row">{t('files.description')}</Table.Th>
                  <Table.Td>{file.description}</Table.Td>
                </Table.Tr>
              )}
              <Table.Tr>
                <Table.Th scope="row">SHA-256</Table.Th>
                <Table.Td>
                  <Text size="xs" ff="monospace" style={{ wordBreak: 'break-all' }} data-testid="file-sha256">
                    {file.sha256}
                  </Text>
                </Table.Td>
              </Table.Tr>
            </Table.Tbody>
          </Table>
          <Text size="sm">{t('files.integrity')}</Text>
          <Group justify="flex-end">
            <Button component="a" href={file.downloadUrl} download={file.fileName}>
              {t('files.download')}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

/** The chain of custody, read again from the API when it opens (a download since the page loaded is in it). */
function CustodyModal({ file, onClose }: { file: FileRowFragment | undefined; onClose: () => void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const who = useWho();
  const { fresh, fetching, error } = useFileWithCustody(file);
  const entries = fresh?.custody ?? [];
  return (
    <Modal
      opened={!!file}
      onClose={onClose}
      title={t('files.custodyTitle', { name: file?.fileName ?? '' })}
      size="xl"
      closeButtonProps={{ 'aria-label': t('files.close') }}
    >
      <Stack gap="sm" data-testid="file-custody" data-fresh={fresh && !fetching ? 'true' : 'false'}>
        <Text size="sm">{fresh && !fresh.custody ? t('files.custodyHidden') : t('files.custodyIntro')}</Text>
        {error && <Alert color="red" role="alert">{error.graphQLErrors[0]?.message ?? error.message}</Alert>}
        <Table.ScrollContainer minWidth={560}>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('files.custodyWhat')}</Table.Th>
                <Table.Th scope="col">{t('files.custodyWhen')}</Table.Th>
                <Table.Th scope="col">{t('files.custodyWho')}</Table.Th>
                <Table.Th scope="col">{t('files.custodyTrace')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {entries.map((e, i) => (
                <Table.Tr key={`${e.kind}-${e.at}-${i}`} data-testid="custody-entry" data-kind={e.kind}>
                  <Table.Td>
                    {e.kind === 'RECLASSIFIED' && e.from && e.to
                      ? t('files.custodyKind.RECLASSIFIED_FROM_TO', { from: t(`clearance.${e.from}`), to: t(`clearance.${e.to}`) })
                      : t(`files.custodyKind.${e.kind}`)}
                  </Table.Td>
                  <Table.Td>{format.dateTime(e.at)}</Table.Td>
                  <Table.Td>{who(e.by)}</Table.Td>
                  <Table.Td>
                    <Text size="xs" ff="monospace">
                      {e.traceId ?? '—'}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Stack>
    </Modal>
  );
}

function ReclassifyForm({
  file,
  clearance,
  publicAllowed,
  onClose,
  onDone,
}: {
  file: FileRowFragment | undefined;
  clearance: string | undefined;
  publicAllowed: boolean;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const client = useClient();
  const [, reclassify] = useMutation(ReclassifyFileMutation);
  const form = useForm({ mode: 'controlled', initialValues: { confidentiality: file?.confidentiality ?? 'STAFF' } });
  const options = levelsUpTo(clearance, publicAllowed).map((l) => ({ value: l, label: t(`clearance.${l}`) }));
  return (
    <CaseFormModal
      opened={!!file}
      onClose={onClose}
      title={t('files.reclassifyTitle', { name: file?.fileName ?? '' })}
      form={form}
      subject={file?.id}
      initialValues={() => ({ confidentiality: file?.confidentiality ?? 'STAFF' })}
      expectedVersion={file?.version}
      labelPrefix="files.form"
      reload={async () => {
        const result = await client.query(FileQuery, { id: file?.id ?? '' }, { requestPolicy: 'network-only' }).toPromise();
        return result.data?.node?.__typename === 'File' ? result.data.node.version : undefined;
      }}
      send={(v, ids) =>
        reclassify({
          input: {
            clientMutationId: ids.clientMutationId,
            expectedVersion: ids.expectedVersion ?? file?.version ?? 0,
            fileId: file?.id ?? '',
            confidentiality: v.confidentiality as Confidentiality,
          },
        })
      }
      onDone={onDone}
    >
      <Select label={t('files.newLevel')} allowDeselect={false} data={options} {...form.getInputProps('confidentiality')} />
    </CaseFormModal>
  );
}
