import { Button, Menu } from '@mantine/core';
import { useNavigate } from 'react-router';
import { newDefinitionPath, type ReportDraft } from './drafts';

export interface ViewChoice {
  label: string;
  draft: () => ReportDraft;
}

/**
 * "Schedule this view": opens the definition editor with the view as a draft (nothing is saved before the person
 * saves it there). One view: a button; several (the dashboard's statistics): a menu of them.
 */
export function ScheduleViewButton({ label, views, testId }: { label: string; views: ViewChoice[]; testId: string }) {
  const navigate = useNavigate();
  const open = (view: ViewChoice) => void navigate(newDefinitionPath, { state: { draft: view.draft() } });
  if (views.length === 1) {
    return (
      <Button variant="default" onClick={() => open(views[0]!)} data-testid={testId}>
        {label}
      </Button>
    );
  }
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button variant="default" data-testid={testId}>
          {label}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        {views.map((view) => (
          <Menu.Item key={view.label} onClick={() => open(view)}>
            {view.label}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}
