import { Alert, Button, Stack } from '@mantine/core';
import { Component, type ErrorInfo, type ReactNode } from 'react';
import i18next from '../i18n';

interface State {
  error: Error | null;
}

/** Catches a screen's rendering error: the shell (navigation, sign-out) stays usable. */
export class ErrorBoundary extends Component<{ children: ReactNode; resetKey?: string }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override componentDidUpdate(previous: { resetKey?: string }) {
    if (this.state.error && previous.resetKey !== this.props.resetKey) {
      this.setState({ error: null });
    }
  }

  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.error('console: a screen failed', error, info.componentStack);
  }

  override render() {
    if (!this.state.error) {
      return this.props.children;
    }
    return (
      <Stack maw={640}>
        <Alert color="red" title={i18next.t('errors.title')} role="alert">
          {i18next.t('errors.body')}
        </Alert>
        <Button w="fit-content" onClick={() => window.location.reload()}>
          {i18next.t('errors.reload')}
        </Button>
      </Stack>
    );
  }
}
