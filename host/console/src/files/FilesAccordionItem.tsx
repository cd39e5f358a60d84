import { Accordion, Badge, Group } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { FilesPanel, type FilesPanelProps } from './FilesPanel';

export interface FilesAccordionItemProps extends FilesPanelProps {
  /** What the item is about, shown before the files' count (an event's date and type, a victim's name, an organisation). */
  label: ReactNode;
  /** Attributes of the item (test ids and the record's id, e.g. data-testid, data-event-id). */
  itemProps?: Record<`data-${string}`, string>;
}

/**
 * One record's files as an item of an Accordion (a case's events and victims, a call's inputs): its label and the number of
 * files the person may see, opening on the record's FilesPanel.
 */
export function FilesAccordionItem({ label, itemProps, headingOrder = 3, ...panel }: FilesAccordionItemProps) {
  const { t } = useTranslation();
  return (
    <Accordion.Item value={panel.recordId} {...itemProps}>
      <Accordion.Control>
        <Group gap="xs">
          {label}
          <Badge size="sm" variant="outline" color="dark">
            {t('files.count', { count: panel.files.length })}
          </Badge>
        </Group>
      </Accordion.Control>
      <Accordion.Panel>
        <FilesPanel headingOrder={headingOrder} {...panel} />
      </Accordion.Panel>
    </Accordion.Item>
  );
}
