import { notifications } from '@mantine/notifications';
import type { CombinedError } from '@urql/core';
import i18next from 'i18next';
import { problemOf } from '../common/mutationErrors';

/** Tells, in a notification, why a one-click change (done, watch, mark read) was not made: the API's message. */
export function notifyRefusal(error: CombinedError): void {
  const problem = problemOf(error);
  const message = problem.kind === 'conflict' ? i18next.t('teamwork.form.conflictTitle') : problem.message;
  notifications.show({ color: 'red', message: i18next.t('teamwork.form.error', { message }), closeButtonProps: { 'aria-label': i18next.t('teamwork.form.close') } });
}

/** Tells that a one-click change was made. */
export function notifyDone(message: string): void {
  notifications.show({ color: 'green.9', message, closeButtonProps: { 'aria-label': i18next.t('teamwork.form.close') } });
}
