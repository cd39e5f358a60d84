import { Anchor, Badge, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { RecordLabelFragment, TaskStatus } from '../gql/graphql';
import { formatDay } from '../cases/partialDate';
import { isoDate } from '../dashboard/dates';

/** A record's page in the console: a case, a defender, a submission or a call for input. */
export function recordPath(record: RecordLabelFragment): string | undefined {
  const id = encodeURIComponent(record.id);
  switch (record.__typename) {
    case 'Case':
      return `/cases/${id}`;
    case 'Defender':
      return `/defenders/${id}`;
    case 'Submission':
      return `/submissions/${id}`;
    case 'CallForInput':
      return `/submissions/calls/${id}`;
    default:
      return undefined;
  }
}

/** What a record is called: a case's reference and title, a defender's name (or pseudonym), a submission's title. */
export function recordName(record: RecordLabelFragment): string {
  switch (record.__typename) {
    case 'Case':
      return `${record.reference} — ${record.title}`;
    case 'Defender':
      return record.name ?? record.pseudonym ?? '';
    case 'Submission':
    case 'CallForInput':
      return record.title;
    default:
      return '';
  }
}

/** When the record last changed (its own updatedAt), if the API gives it. */
export function recordUpdatedAt(record: RecordLabelFragment): string | undefined {
  return 'updatedAt' in record ? (record.updatedAt as string) : undefined;
}

/** A link to the record, named; "a record you may not see" when the API gives none. */
export function RecordLink({ record }: { record: RecordLabelFragment | null | undefined }) {
  const { t } = useTranslation();
  const path = record ? recordPath(record) : undefined;
  if (!record || !path) {
    return <Text component="span">{t('teamwork.record.hidden')}</Text>;
  }
  return (
    <Anchor component={Link} to={path}>
      {t(`teamwork.record.kind.${record.__typename}`)}: {recordName(record)}
    </Anchor>
  );
}

/** Filled badges dark enough for white text (WCAG AA). */
const statusColor: Record<TaskStatus, string> = { OPEN: 'blue.9', DONE: 'teal.9', CANCELLED: 'gray.8' };

export function TaskStatusBadge({ status }: { status: TaskStatus }) {
  const { t } = useTranslation();
  return (
    <Badge size="sm" color={statusColor[status]} style={{ flexShrink: 0, overflow: 'visible' }}>
      {t(`teamwork.task.status.${status}`)}
    </Badge>
  );
}

/** Today in the browser's calendar, as the API's Date (yyyy-MM-dd). */
export function today(): string {
  return isoDate(new Date());
}

/** The day `days` from today in the browser's calendar (yyyy-MM-dd). */
export function fromToday(days: number): string {
  const now = new Date();
  return isoDate(new Date(now.getFullYear(), now.getMonth(), now.getDate() + days));
}

/** A task's due day, in the page's language, marked when it is past (an open task overdue). */
export function DueDay({ dueOn, overdue }: { dueOn: string; overdue: boolean }) {
  const { t, i18n } = useTranslation();
  return (
    <Text component="span" fw={overdue ? 700 : undefined} c={overdue ? 'red.9' : undefined} data-overdue={overdue || undefined}>
      {formatDay(dueOn, i18n.language)}
      {overdue && ` · ${t('teamwork.task.overdue')}`}
    </Text>
  );
}
