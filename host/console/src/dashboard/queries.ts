import { graphql } from '../gql';

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

/** Anniversaries (the first few, and how many in all) and deadlines of the next 30 days that the person may see. */
export const DashboardUpcomingQuery = graphql(`
  query DashboardUpcoming($from: Date!, $to: Date!, $first: Int!) {
    anniversaryCount(from: $from, to: $to)
    anniversaries(from: $from, to: $to, first: $first) {
      date
      kind
      years
      days
      case {
        id
        reference
        title
      }
      caseEvent {
        id
        type
      }
    }
    deadlines(from: $from, to: $to) {
      date
      kind
      subject {
        ... on Submission {
          id
          title
        }
        ... on CallForInput {
          id
          title
        }
      }
    }
  }
`);

/** Reminders due in the next 30 days (role STAFF and up: asked only for them). */
export const DashboardRemindersQuery = graphql(`
  query DashboardReminders($from: Date!, $to: Date!) {
    reminders(first: 8, filter: { remindFrom: $from, remindTo: $to }) {
      totalCount
      nodes {
        id
        kind
        dueOn
        remindOn
        caseId
        subject {
          ... on Anniversary {
            anniversaryKind: kind
            years
            days
            case {
              id
              reference
              title
            }
          }
          ... on Deadline {
            deadlineKind: kind
            deadlineSubject: subject {
              ... on Submission {
                id
                title
              }
              ... on CallForInput {
                id
                title
              }
            }
          }
        }
      }
    }
  }
`);

/** The latest changes: the cases most recently changed that the person may see. */
export const DashboardRecentQuery = graphql(`
  query DashboardRecent {
    recentlyUpdatedCases(first: 8) {
      id
      reference
      title
      status
      updatedAt
    }
  }
`);
