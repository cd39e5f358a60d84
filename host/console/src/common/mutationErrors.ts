import type { CombinedError } from '@urql/core';

/** What a form does with a mutation's answer: done, a conflict to tell and re-apply, an error on a field, or a message. */
export type MutationProblem =
  | {
      kind: 'conflict';
      currentVersion?: number;
      changedBy?: string;
      changedByName?: string;
      changedAt?: string;
      expectedVersion?: number;
    }
  | { kind: 'validation'; field: string; message: string }
  | { kind: 'error'; message: string };

/** Reads the contract's error (extensions.code, extensions.field, a CONFLICT's currentVersion/changedBy/changedByName/changedAt). */
export function problemOf(error: CombinedError): MutationProblem {
  const first = error.graphQLErrors[0];
  const extensions = (first?.extensions ?? {}) as Record<string, unknown>;
  switch (extensions['code']) {
    case 'CONFLICT':
      return {
        kind: 'conflict',
        currentVersion: typeof extensions['currentVersion'] === 'number' ? extensions['currentVersion'] : undefined,
        changedBy: typeof extensions['changedBy'] === 'string' ? extensions['changedBy'] : undefined,
        changedByName: typeof extensions['changedByName'] === 'string' ? extensions['changedByName'] : undefined,
        changedAt: typeof extensions['changedAt'] === 'string' ? extensions['changedAt'] : undefined,
      };
    case 'VALIDATION':
      if (typeof extensions['field'] === 'string') {
        return { kind: 'validation', field: extensions['field'], message: first?.message ?? '' };
      }
      return { kind: 'error', message: first?.message ?? error.message };
    default:
      return { kind: 'error', message: first?.message ?? error.networkError?.message ?? error.message };
  }
}

/** The form field of an API field name: `victimIds[1]` → `victimIds`, `input.title` → `title`. */
export function formFieldOf(apiField: string): string {
  const withoutInput = apiField.replace(/^input\./, '');
  return withoutInput.split(/[.[]/)[0] ?? withoutInput;
}

/** A fresh clientMutationId: one per submission, reused when the same submission is sent again. */
export function newClientMutationId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `console-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
