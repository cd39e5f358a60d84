import type { Gender, RiskLevel, Situation } from '../gql/graphql';

export const situations: Situation[] = ['AT_LIBERTY', 'DETAINED', 'IN_HIDING', 'DISAPPEARED', 'KILLED', 'UNKNOWN'];
/** What staff may record (UNKNOWN is what no report means). */
export const recordableSituations: Situation[] = ['AT_LIBERTY', 'DETAINED', 'IN_HIDING', 'DISAPPEARED', 'KILLED'];
export const riskLevels: RiskLevel[] = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];
export const genders: Gender[] = ['FEMALE', 'MALE', 'NON_BINARY', 'OTHER', 'UNDISCLOSED'];

/** Filled badges in shades dark enough for white text (WCAG AA). */
export const situationColor: Record<Situation, string> = {
  AT_LIBERTY: 'teal.9',
  DETAINED: 'red.9',
  IN_HIDING: 'violet.9',
  DISAPPEARED: 'grape.9',
  KILLED: 'dark.7',
  UNKNOWN: 'gray.8',
};
export const riskColor: Record<RiskLevel, string> = { LOW: '#2b6a30', MEDIUM: '#765600', HIGH: '#9c3d00', CRITICAL: '#a51111' };

/** The roles that write (the API decides; the console offers the forms to these only, for usability). */
export const writingRoles = ['STAFF', 'EDITOR', 'ADMIN', 'SYSTEM'];
const order = ['PUBLIC', 'NETWORK', 'STAFF', 'RESTRICTED'];
/** True when a clearance is at least the given level. */
export function atLeast(clearance: string | undefined, level: 'NETWORK' | 'STAFF' | 'RESTRICTED'): boolean {
  return order.indexOf(clearance ?? '') >= order.indexOf(level);
}

/**
 * What the console shows for a person: the name when the API gave it, else the pseudonym it gave (marked as one),
 * else a neutral label — never a name the API did not send.
 */
export function displayName(
  d: { name?: string | null; pseudonym?: string | null; erased?: boolean | null },
  t: (key: string) => string,
): { text: string; isPseudonym: boolean } {
  if (d.name) return { text: d.name, isPseudonym: false };
  if (d.pseudonym) return { text: d.pseudonym, isPseudonym: true };
  return { text: t(d.erased ? 'defenderDesk.display.erased' : 'defenderDesk.display.hidden'), isPseudonym: false };
}
