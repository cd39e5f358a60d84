import { Alert, Anchor, Badge, Group, List, Paper, Skeleton, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { useFormat } from '../i18n/format';
import { DashboardRecentQuery } from './queries';

/** The latest changes the person may see: the cases most recently changed, each a link to its page. */
export function RecentChanges({ after }: { after: boolean }) {
  const { t } = useTranslation('dashboard');
  const { dateTime } = useFormat();
  const [{ data, fetching, error }] = useQuery({ query: DashboardRecentQuery, pause: !after });
  const cases = data?.recentlyUpdatedCases ?? [];
  return (
    <Paper component="section" withBorder p="md" radius="md" aria-labelledby="recent-title" data-testid="recent-changes">
      <Title order={2} size="h4" id="recent-title" mb="sm">
        {t('recent.title')}
      </Title>
      {(fetching || !after) && !data ? (
        <Skeleton height={120} />
      ) : error && !data ? (
        <Alert color="red" variant="light">
          {t('loadError')}
        </Alert>
      ) : cases.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('recent.none')}
        </Text>
      ) : (
        <List spacing={6} listStyleType="none" p={0}>
          {cases.map((c) => (
            <List.Item key={c.id} data-case-id={c.id}>
              <Group gap={8} wrap="nowrap" align="baseline">
                <Anchor component={Link} to={`/cases/${encodeURIComponent(c.id)}`} size="sm" fw={600} style={{ whiteSpace: 'nowrap' }}>
                  {c.reference}
                </Anchor>
                <Badge size="xs" variant="light" color={c.status === 'CLOSED' ? 'gray' : 'blue'} style={{ flexShrink: 0 }}>
                  {t(`status.${c.status}`)}
                </Badge>
                <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap', marginLeft: 'auto' }}>
                  <time dateTime={c.updatedAt}>{t('recent.updated', { when: dateTime(c.updatedAt) })}</time>
                </Text>
              </Group>
              <Text size="sm" lineClamp={1}>
                {c.title}
              </Text>
            </List.Item>
          ))}
        </List>
      )}
    </Paper>
  );
}
