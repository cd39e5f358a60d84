import type { CaseEventType, CaseStatus, Confidentiality, InterventionType, PerpetratorType } from '../gql/graphql';

export const statuses: CaseStatus[] = ['OPEN', 'MONITORING', 'CLOSED'];
export const levels: Confidentiality[] = ['PUBLIC', 'NETWORK', 'STAFF', 'RESTRICTED'];
export const eventTypes: CaseEventType[] = [
  'ARREST', 'DETENTION', 'CHARGE', 'TRIAL', 'CONVICTION', 'SENTENCING', 'ACQUITTAL', 'RELEASE', 'PROVISIONAL_RELEASE',
  'DISAPPEARANCE', 'KILLING', 'TORTURE', 'ILL_TREATMENT', 'JUDICIAL_HARASSMENT', 'THREAT', 'INTIMIDATION', 'SURVEILLANCE',
  'RAID', 'TRAVEL_BAN', 'OTHER',
];
export const perpetratorTypes: PerpetratorType[] = ['STATE_SECURITY_FORCES', 'JUDICIARY', 'POLICE', 'ARMY', 'NON_STATE_ACTOR', 'UNKNOWN'];
export const interventionTypes: InterventionType[] = ['URGENT_APPEAL', 'FOLLOW_UP', 'CLOSING'];

/** Filled badges in shades dark enough for white text (WCAG AA). */
export const levelColor: Record<Confidentiality, string> = {
  PUBLIC: '#24692f', // green.9 on white is below 4.5:1 (axe, on the organisations list)
  NETWORK: 'blue.9',
  STAFF: '#9c3d00',
  RESTRICTED: 'red.9',
};
export const statusColor: Record<CaseStatus, string> = { OPEN: 'teal.9', MONITORING: 'violet.9', CLOSED: 'gray.8' };
