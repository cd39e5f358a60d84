import { graphql } from '../../gql';

/** What the definitions list, the editor and the definition page show of a definition. */
export const ReportDefinitionFields = graphql(`
  fragment ReportDefinitionDetails on ReportDefinition {
    id
    name
    query
    variables
    listPath
    columns {
      path
      headingEn
      headingFr
      headingEs
    }
    language
    cron
    timeZone
    formats
    accountRecipientIds
    emailRecipients
    confidentiality
    ownerId
    version
    updatedAt
  }
`);

/** One run as the runs table shows it, with its files' download addresses (GET with the session). */
export const ReportRunFields = graphql(`
  fragment ReportRunDetails on ReportRun {
    id
    status
    trigger
    scheduledFor
    forDay
    startedAt
    durationMs
    rows
    attempts
    nextAttemptAt
    error
    files {
      name
      contentType
      size
      url
    }
  }
`);

/** The definitions the person owns or receives (an ADMIN: all), newest first, with their newest run. */
export const ReportDefinitionsQuery = graphql(`
  query ScheduledReportDefinitions($first: Int, $after: String) {
    me {
      id
      role
      clearance
    }
    reportDefinitions(first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        ...ReportDefinitionDetails
        lastRun {
          id
          status
          startedAt
        }
      }
    }
  }
`);

/** One definition with its next fires (null: unknown or hidden, shown as "not found"). */
export const ReportDefinitionQuery = graphql(`
  query ScheduledReportDefinition($id: ID!) {
    me {
      id
      role
      clearance
    }
    reportDefinition(id: $id) {
      ...ReportDefinitionDetails
      nextRuns(count: 3)
    }
  }
`);

/** The person, for a new definition (their clearance bounds its level). */
export const ScheduledReportsMeQuery = graphql(`
  query ScheduledReportsMe {
    me {
      id
      role
      clearance
    }
  }
`);

export const ReportRunsQuery = graphql(`
  query ScheduledReportRuns($definitionId: ID!, $first: Int, $after: String) {
    reportRuns(definitionId: $definitionId, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        ...ReportRunDetails
      }
    }
  }
`);

/** The next fires of a schedule being typed (VALIDATION on cron or timeZone, as the save would say). */
export const ReportSchedulePreviewQuery = graphql(`
  query ScheduledReportPreview($cron: String!, $timeZone: String!) {
    reportSchedulePreview(cron: $cron, timeZone: $timeZone, count: 3)
  }
`);

export const CreateReportDefinitionMutation = graphql(`
  mutation CreateScheduledReport($input: CreateReportDefinitionInput!) {
    createReportDefinition(input: $input) {
      reportDefinition {
        ...ReportDefinitionDetails
        nextRuns(count: 3)
      }
    }
  }
`);

export const UpdateReportDefinitionMutation = graphql(`
  mutation UpdateScheduledReport($input: UpdateReportDefinitionInput!) {
    updateReportDefinition(input: $input) {
      reportDefinition {
        ...ReportDefinitionDetails
        nextRuns(count: 3)
      }
    }
  }
`);

export const DeleteReportDefinitionMutation = graphql(`
  mutation DeleteScheduledReport($input: DeleteReportDefinitionInput!) {
    deleteReportDefinition(input: $input) {
      reportDefinition {
        id
      }
    }
  }
`);

export const RunReportNowMutation = graphql(`
  mutation RunScheduledReportNow($input: RunReportNowInput!) {
    runReportNow(input: $input) {
      reportRun {
        ...ReportRunDetails
      }
    }
  }
`);
