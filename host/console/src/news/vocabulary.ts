import type { ArticleKind, ArticleStatus, Language } from '../gql/graphql';

export const articleStatuses: ArticleStatus[] = ['DRAFT', 'SCHEDULED', 'PUBLISHED', 'UNPUBLISHED', 'ARCHIVED'];
export const articleKinds: ArticleKind[] = [
  'PRESS_RELEASE', 'URGENT_INTERVENTION', 'STATEMENT', 'REPORT', 'PORTRAIT', 'CALL_FOR_INPUT', 'JOINT_REPORT', 'EVENT',
];
/** The languages articles are written in, in the order of the side-by-side view. */
export const articleLanguages: Language[] = ['EN', 'FR', 'ES'];

/** Filled badges in shades dark enough for white text (WCAG AA). */
export const articleStatusColor: Record<ArticleStatus, string> = {
  DRAFT: 'gray.8',
  SCHEDULED: 'blue.9',
  PUBLISHED: '#237032',
  UNPUBLISHED: '#9c3d00',
  ARCHIVED: 'dark.6',
};

/** Who may change articles: the API's RequireRole(EDITOR) (an administrator includes it). The API decides; this only hides buttons. */
export const editorRoles = ['EDITOR', 'ADMIN', 'SYSTEM'];
