import type { CallForInputStatus, CatStage, Mechanism, Region, SubmissionStatus } from '../gql/graphql';

export const mechanisms: Mechanism[] = ['UPR', 'CAT', 'HRC_SPECIAL_PROCEDURE', 'OTHER'];
export const stages: SubmissionStatus[] = ['PLANNED', 'DRAFTING', 'SUBMITTED', 'OUTCOME_RECORDED'];
export const catStages: CatStage[] = ['LIST_OF_ISSUES_PRIOR_TO_REPORTING', 'LIST_OF_ISSUES', 'PERIODIC_REVIEW', 'FOLLOW_UP'];
export const callStatuses: CallForInputStatus[] = ['OPEN', 'CLOSED'];
export const regions: Region[] = ['AFRICA', 'AMERICAS', 'ASIA', 'EUROPE', 'OCEANIA'];

/** Filled badges in shades dark enough for white text (WCAG AA). */
export const stageColor: Record<SubmissionStatus, string> = {
  PLANNED: 'gray.8',
  DRAFTING: 'blue.9',
  SUBMITTED: 'teal.9',
  OUTCOME_RECORDED: 'violet.9',
};
export const callStatusColor: Record<CallForInputStatus, string> = { OPEN: 'teal.9', CLOSED: 'gray.8' };
