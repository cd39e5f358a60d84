import { prefetchQuery } from '../graphql/prefetch';
import { graphql } from '../gql';
import { periods } from './dates';

/**
 * The dashboard's figures: KPIs and the statistics its charts and map draw, in one request. Every number is the API's
 * answer for the signed-in person (their clearance); "this month" and "this year" are the browser's calendar periods.
 */
export const DashboardFiguresQuery = graphql(`
  query DashboardFigures($monthStart: Date!, $monthEnd: Date!, $yearStart: Date!, $yearEnd: Date!) {
    caseCount
    openCases: cases(filter: { statuses: [OPEN] }, first: 0) {
      totalCount
    }
    newThisMonth: cases(filter: { openedFrom: $monthStart, openedTo: $monthEnd }, first: 0) {
      totalCount
    }
    interventionsThisMonth: interventionCount(issuedFrom: $monthStart, issuedTo: $monthEnd)
    interventionsThisYear: interventionCount(issuedFrom: $yearStart, issuedTo: $yearEnd)
    byCountry: caseStatistics(groupBy: COUNTRY) {
      key
      count
    }
    byYear: caseStatistics(groupBy: YEAR) {
      key
      count
    }
    byEventType: caseStatistics(groupBy: EVENT_TYPE) {
      key
      count
    }
  }
`);

/** The figures query's variables for the browser's current month and year (the dashboard's and the prefetch's). */
export function figuresVariables(period: ReturnType<typeof periods>) {
  return { monthStart: period.monthStart, monthEnd: period.monthEnd, yearStart: period.yearStart, yearEnd: period.yearEnd };
}

/**
 * Opening the console on the dashboard: its figures are asked for as soon as GET /account has answered (App.tsx),
 * while the console's script, the page's chunk and the shell are still on their way; the page's own query takes that
 * answer (graphql/prefetch.ts). This module is small and in the main chunk: the rest of the dashboard is not.
 */
export function prefetchFigures(): Promise<void> {
  return prefetchQuery(DashboardFiguresQuery, 'DashboardFigures', figuresVariables(periods()));
}
