import { useMemo } from 'react';
import { useQuery } from 'urql';
import type { Confidentiality } from '../gql/graphql';
import { levels } from '../cases/vocabulary';
import { TeamworkColleaguesQuery, TeamworkMeQuery } from './documents';

export interface ColleagueOption {
  value: string;
  label: string;
}

interface Named {
  accountId: string;
  name: string;
}

/** True when `clearance` reaches `level` (PUBLIC < NETWORK < STAFF < RESTRICTED). */
export function reaches(clearance: Confidentiality | string | undefined, level: Confidentiality | string): boolean {
  return levels.indexOf(clearance as Confidentiality) >= levels.indexOf(level as Confidentiality);
}

/**
 * The colleagues offered as an owner or an assignee: you, the people already named on the screen (`known`: the owner,
 * the watchers, the assignees of the tasks shown) and the API's `colleagues` — the active staff accounts whose clearance
 * reaches the record (`recordId`), or `level` (STAFF by default, on screens about many records; a report's level for its
 * recipients). The API decides at the write: an account whose clearance does not reach the record is refused (VALIDATION
 * on the field, shown there).
 */
export function useColleagueOptions(
  known: readonly (Named | null | undefined)[],
  recordId?: string,
  level?: Confidentiality,
): ColleagueOption[] {
  const [{ data: me }] = useQuery({ query: TeamworkMeQuery });
  const variables = useMemo(() => ({ recordId: recordId ?? null, level: level ?? null }), [recordId, level]);
  const [{ data: listed }] = useQuery({ query: TeamworkColleaguesQuery, variables });
  return useMemo(() => {
    const byId = new Map<string, string>();
    const account = me?.me.account;
    if (account) {
      byId.set(account.id, account.displayName);
    }
    for (const person of known) {
      if (person) {
        byId.set(person.accountId, person.name);
      }
    }
    for (const colleague of listed?.colleagues ?? []) {
      byId.set(colleague.accountId, colleague.name);
    }
    return [...byId].map(([value, label]) => ({ value, label })).sort((a, b) => a.label.localeCompare(b.label));
  }, [me, listed, known]);
}

/**
 * The name behind a note's author (a caller id, `user:<account guid>`) among the colleagues on the screen: an account's
 * global id is base64url("Account:<guid without dashes>").
 */
export function authorName(author: string | null | undefined, colleagues: readonly ColleagueOption[]): string | undefined {
  const guid = author?.startsWith('user:') ? author.slice(5).replace(/-/g, '').toLowerCase() : undefined;
  if (!guid) {
    return undefined;
  }
  return colleagues.find((c) => decodeAccountGuid(c.value) === guid)?.label;
}

function decodeAccountGuid(globalId: string): string | undefined {
  try {
    const text = atob(globalId.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(globalId.length / 4) * 4, '='));
    return text.startsWith('Account:') ? text.slice('Account:'.length).toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}
