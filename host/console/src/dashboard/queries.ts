import { graphql } from '../gql';

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

/** Who the person is as an account (their tasks are asked for by assignee). STAFF and up. */
export const DashboardWorkMeQuery = graphql(`
  query DashboardWorkMe {
    me {
      id
      account {
        id
      }
    }
  }
`);

/** My work's counts: my open tasks, those overdue (due before today), my unread mentions. STAFF and up. */
export const DashboardWorkQuery = graphql(`
  query DashboardWork($assigneeId: ID!, $yesterday: Date!) {
    openTasks: tasks(filter: { assigneeId: $assigneeId, statuses: [OPEN] }, first: 1) {
      totalCount
    }
    overdueTasks: tasks(filter: { assigneeId: $assigneeId, statuses: [OPEN], dueTo: $yesterday }, first: 1) {
      totalCount
    }
    myWork {
      unreadMentions {
        id
      }
    }
  }
`);
