import i18next from 'i18next';
import type { ReportFormat } from '../../gql/graphql';

/**
 * What "schedule this view" hands to the definition editor (router state, never the URL: a query is long): a
 * definition not yet saved. Small and free of components: the cases list and the dashboard import it.
 */
export interface ReportDraft {
  name: string;
  query: string;
  /** The query's fixed variables, a JSON object (text). */
  variables: string;
  listPath: string;
  columns: DraftColumn[];
  cron: string;
  timeZone: string;
  formats: ReportFormat[];
}

export interface DraftColumn {
  path: string;
  headingEn: string;
  headingFr: string;
  headingEs: string;
}

/** The editor's route; the draft travels as its router state. */
export const newDefinitionPath = '/reports/definitions/new';

/** A weekly report on Monday at 08:00 in Geneva (Europe/Zurich is IANA's name for Geneva's zone), as a spreadsheet. */
export const weeklyDefault = { cron: '0 0 8 ? * MON', timeZone: 'Europe/Zurich', formats: ['XLSX'] as ReportFormat[] };

/** A column whose headings are a label of the console in each of its three languages (`namespace:key`). */
export function column(path: string, label: string): DraftColumn {
  const heading = (language: string) => i18next.getFixedT(language)(label);
  return { path, headingEn: heading('en'), headingFr: heading('fr'), headingEs: heading('es') };
}

/**
 * Every case of a filtered list, page after page: a run passes each page's endCursor as $after until hasNextPage is
 * false (pageInfo must sit next to the nodes it pages). The filter and order are the list's, as variables.
 */
export const casesViewQuery = `query ScheduledCasesView($filter: CaseFilter, $orderBy: CaseOrder, $after: String) {
  cases(filter: $filter, orderBy: $orderBy, first: 50, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { reference title country { code } status confidentiality openedOn }
  }
}`;

/** The cases list's view (its filter without the empty parts, its order) as a weekly XLSX report of the visible columns. */
export function casesViewDraft(name: string, filter: Record<string, unknown>, orderBy: string): ReportDraft {
  const given = Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== null && v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0)));
  return {
    name,
    query: casesViewQuery,
    variables: JSON.stringify({ filter: given, orderBy }),
    listPath: 'cases.nodes',
    columns: [
      column('reference', 'caseDesk.column.reference'),
      column('title', 'caseDesk.column.title'),
      column('country.code', 'caseDesk.column.country'),
      column('status', 'caseDesk.column.status'),
      column('confidentiality', 'caseDesk.column.confidentiality'),
      column('openedOn', 'caseDesk.column.openedOn'),
    ],
    ...weeklyDefault,
  };
}

/** A statistic of the dashboard (cases by country, by year, case events by type) as a weekly XLSX report: its table, key and count. */
export function statisticsDraft(name: string, groupBy: 'COUNTRY' | 'YEAR' | 'EVENT_TYPE', keyLabel: string, countLabel: string): ReportDraft {
  return {
    name,
    query: `query ScheduledStatistics($groupBy: CaseStatisticsDimension!) {\n  caseStatistics(groupBy: $groupBy) { key count }\n}`,
    variables: JSON.stringify({ groupBy }),
    listPath: 'caseStatistics',
    columns: [column('key', keyLabel), column('count', countLabel)],
    ...weeklyDefault,
  };
}
