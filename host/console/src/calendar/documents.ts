import { graphql } from '../gql';

/** How far ahead the reminder jobs remind (staff): the calendar shows each item's reminders on their days. */
export const CalendarLeadsQuery = graphql(`
  query CalendarLeads {
    reminderLeads {
      anniversaryDays
      deadlineDays
    }
  }
`);

/**
 * Everything one view shows, in one request, for the person's clearance: anniversaries (filtered by country by the
 * API), deadlines (submissions' due and session dates, calls' deadlines) and the scheduled publications (editors).
 */
export const CalendarItemsQuery = graphql(`
  query CalendarItems($from: Date!, $to: Date!, $filter: CaseFilter, $articles: ArticleFilter, $withArticles: Boolean!) {
    anniversaries(from: $from, to: $to, filter: $filter) {
      date
      kind
      years
      days
      confidentiality
      case {
        id
        reference
        title
        country {
          code
        }
      }
      caseEvent {
        id
        type
        date
      }
      victim {
        id
        name
      }
    }
    deadlines(from: $from, to: $to) {
      date
      kind
      subject {
        __typename
        ... on Submission {
          id
          title
          mechanism
          confidentiality
          country {
            code
          }
        }
        ... on CallForInput {
          id
          title
          confidentiality
          audience {
            code
          }
        }
      }
    }
    articles(filter: $articles, first: 100) @include(if: $withArticles) {
      nodes {
        id
        slug
        title
        publishAt
        confidentiality
        countries {
          code
        }
      }
    }
  }
`);

/** The person's own iCalendar feed: whether there is one (its URL is shown only when created). */
export const CalendarFeedQuery = graphql(`
  query CalendarFeed {
    calendarFeed {
      createdAt
      prefix
    }
  }
`);

export const CreateCalendarFeedMutation = graphql(`
  mutation CreateCalendarFeed($input: CreateCalendarFeedInput!) {
    createCalendarFeed(input: $input) {
      url
      calendarFeed {
        createdAt
        prefix
      }
    }
  }
`);

export const RevokeCalendarFeedMutation = graphql(`
  mutation RevokeCalendarFeed($input: RevokeCalendarFeedInput!) {
    revokeCalendarFeed(input: $input) {
      clientMutationId
    }
  }
`);
