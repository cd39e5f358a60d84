/** The report's tables in the order the HTML report has them, with the kind of their key. */
export const reportTables = [
  { table: 'opened_in_month_by_country', key: 'country', group: 'month' },
  { table: 'events_recorded_in_month_by_type', key: 'eventType', group: 'month' },
  { table: 'interventions_issued_in_month_by_type', key: 'interventionType', group: 'month' },
  { table: 'cases_by_country', key: 'country', group: 'totals' },
  { table: 'cases_by_year', key: 'year', group: 'totals' },
  { table: 'cases_by_status', key: 'status', group: 'totals' },
  { table: 'events_by_type', key: 'eventType', group: 'totals' },
  { table: 'submissions_by_mechanism_and_status', key: 'mechanism', group: 'submissions' },
] as const;

export type KeyKind = (typeof reportTables)[number]['key'];

export interface FigureRow {
  key: string;
  subKey: string | null;
  label: string;
  count: number;
  formatted: string;
}

export interface FigureSection {
  table: string;
  title: string;
  keyHeader: string;
  hasSubKey: boolean;
  rows: FigureRow[];
}

/** How many bars a chart draws (the largest; the table lists every row), as in the HTML report. */
export const maxBars = 15;
