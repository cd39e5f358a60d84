import { Badge, Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { useFormat } from '../i18n/format';
import { ApiRefusal } from './common';
import { PlatformHealthQuery } from './queries';

const statusColor: Record<string, string> = { CAUGHT_UP: 'teal.9', LAGGING: '#9c3d00', FAILING: 'red.9' };

/** The health of the platform: each asynchronous projection against the event store's high-water mark, and the scheduler's nodes. */
export function HealthTab() {
  const { t } = useTranslation();
  const format = useFormat();
  const [{ data, error, fetching }, reload] = useQuery({ query: PlatformHealthQuery, requestPolicy: 'network-only' });
  if (error) {
    return <ApiRefusal error={error} />;
  }
  const health = data?.platformHealth;
  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Title order={2}>{t('admin.health.title')}</Title>
        <Button variant="default" loading={fetching} onClick={() => reload({ requestPolicy: 'network-only' })}>{t('admin.health.refresh')}</Button>
      </Group>
      {health && (
        <>
          <Text data-testid="health-summary">
            {t('admin.health.summary', {
              mark: format.number(Number(health.highWaterMark)),
              last: format.number(Number(health.lastEventSequence)),
              node: health.node,
            })}
          </Text>
          <Title order={3} size="h4">{t('admin.health.projections')}</Title>
          <Table striped data-testid="health-projections">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('admin.health.shard')}</Table.Th>
                <Table.Th>{t('admin.health.position')}</Table.Th>
                <Table.Th>{t('admin.health.behind')}</Table.Th>
                <Table.Th>{t('admin.health.status')}</Table.Th>
                <Table.Th>{t('admin.health.here')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {health.projections.map((shard) => (
                <Table.Tr key={shard.name} data-shard={shard.name} data-status={shard.status}>
                  <Table.Td>{shard.name}</Table.Td>
                  <Table.Td>{format.number(Number(shard.position))}</Table.Td>
                  <Table.Td>{format.number(Number(shard.behind))}</Table.Td>
                  <Table.Td><Badge color={statusColor[shard.status] ?? 'gray.8'}>{t(`admin.health.shardStatus.${shard.status}`)}</Badge></Table.Td>
                  <Table.Td>{shard.runningHere ? t(`admin.health.agent.${shard.runningHere}`, { defaultValue: shard.runningHere }) : t('admin.health.elsewhere')}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Title order={3} size="h4">{t('admin.health.scheduler')}</Title>
          <Table striped data-testid="health-nodes">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('admin.health.node')}</Table.Th>
                <Table.Th>{t('admin.health.state')}</Table.Th>
                <Table.Th>{t('admin.health.lastCheckIn')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {health.schedulerNodes.map((node) => (
                <Table.Tr key={node.node} data-node={node.node} data-running={node.schedulerRunning}>
                  <Table.Td>{node.node}{node.thisHost && ` (${t('admin.health.thisHost')})`}</Table.Td>
                  <Table.Td>
                    <Badge color={node.late ? 'red.9' : node.schedulerRunning ? 'teal.9' : 'gray.8'}>
                      {t(node.late ? 'admin.health.late' : node.schedulerRunning ? 'admin.health.running' : 'admin.health.off')}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{node.lastCheckIn ? format.dateTime(node.lastCheckIn) : t('admin.never')}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </>
      )}
    </Stack>
  );
}
