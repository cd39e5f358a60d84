/**
 * MY REMINDERS — the place on "My work" (between my tasks and my mentions) for the reminders that reach me.
 *
 * Not wired yet: `myWork.reminders` and the acknowledge / snooze mutations are being added to the API on another branch
 * and are not on main, so this section shows nothing rather than inventing fields. To wire it: add `reminders { … }` to
 * MyWorkQuery (documents.ts), pass them here, render them as the other sections of MyWorkPage do (a `Section` with
 * testId "my-reminders"), with "Acknowledge" and "Snooze" buttons, and add the labels under `teamwork.work` in the
 * three i18n files.
 */
export function MyReminders() {
  return null;
}
