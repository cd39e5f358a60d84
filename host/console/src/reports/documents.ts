import { graphql } from '../gql';

/** The monthly reports the person's clearance reaches, newest first (one page). */
export const ReportListQuery = graphql(`
  query ReportList($first: Int, $after: String) {
    reports(first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        month
        clearance
        generatedAt
        csvUrl
        htmlUrl
      }
    }
  }
`);

/** The reports with their figures: the report page finds its own among them (reports have no node(id)). */
export const ReportFiguresQuery = graphql(`
  query ReportFigures($first: Int, $after: String) {
    reports(first: $first, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        month
        clearance
        generatedAt
        csvUrl
        htmlUrl
        figures {
          table
          key
          subKey
          count
        }
      }
    }
  }
`);

export const DigestSubscriptionFields = graphql(`
  fragment DigestSubscriptionDetails on DigestSubscription {
    id
    name
    period
    weekday
    audience
    countries
    themes
    emailRecipients
    webhookUrl
    paused
    version
    updatedAt
  }
`);

/** The digest subscriptions whose audience the person's clearance reaches. */
export const DigestSubscriptionsQuery = graphql(`
  query DigestSubscriptions($first: Int, $after: String) {
    me {
      id
      clearance
    }
    digestSubscriptions(first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        ...DigestSubscriptionDetails
      }
    }
  }
`);

/** The digests made, newest first, with their sections and deliveries. */
export const DigestListQuery = graphql(`
  query DigestList($first: Int, $after: String) {
    digests(first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        period
        from
        to
        audience
        generatedAt
        subscriptionId
        subscriptionName
        sections {
          kind
          title
          totalCount
          items {
            title
            text
            date
            reference
            countryCode
            type
          }
        }
        deliveries {
          id
          channel
          target
          status
          attempts
          lastError
          nextAttemptAt
          deliveredAt
        }
      }
    }
  }
`);

export const CreateDigestSubscriptionMutation = graphql(`
  mutation CreateDigestSubscription($input: CreateDigestSubscriptionInput!) {
    createDigestSubscription(input: $input) {
      webhookSecret
      digestSubscription {
        ...DigestSubscriptionDetails
      }
    }
  }
`);

export const UpdateDigestSubscriptionMutation = graphql(`
  mutation UpdateDigestSubscription($input: UpdateDigestSubscriptionInput!) {
    updateDigestSubscription(input: $input) {
      webhookSecret
      digestSubscription {
        ...DigestSubscriptionDetails
      }
    }
  }
`);

export const PauseDigestSubscriptionMutation = graphql(`
  mutation PauseDigestSubscription($input: PauseDigestSubscriptionInput!) {
    pauseDigestSubscription(input: $input) {
      digestSubscription {
        ...DigestSubscriptionDetails
      }
    }
  }
`);

export const ResumeDigestSubscriptionMutation = graphql(`
  mutation ResumeDigestSubscription($input: ResumeDigestSubscriptionInput!) {
    resumeDigestSubscription(input: $input) {
      digestSubscription {
        ...DigestSubscriptionDetails
      }
    }
  }
`);

export const DeleteDigestSubscriptionMutation = graphql(`
  mutation DeleteDigestSubscription($input: DeleteDigestSubscriptionInput!) {
    deleteDigestSubscription(input: $input) {
      digestSubscription {
        id
      }
    }
  }
`);
