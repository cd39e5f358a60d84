import { graphql } from '../gql';

/** The submissions list: the API's filter (mechanism, stage, country) and cursor paging. */
export const SubmissionListQuery = graphql(`
  query SubmissionList($filter: SubmissionFilter, $first: Int, $after: String) {
    submissions(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        mechanism
        title
        status
        dueOn
        sessionStartsOn
        wordCount
        wordLimit
        confidentiality
        country {
          code
        }
        coSignatories {
          id
        }
      }
    }
  }
`);

/** Everything the submission page shows; `version` is what every form sends as expectedVersion. */
export const SubmissionDetailsFields = graphql(`
  fragment SubmissionDetails on Submission {
    id
    mechanism
    title
    status
    dueOn
    session
    sessionStartsOn
    catStage
    wordCount
    wordLimit
    fileReference
    text
    submittedOn
    confidentiality
    version
    updatedAt
    wordCountRule {
      separators
    }
    country {
      code
    }
    leadOrganisation {
      id
      name
    }
    coSignatories {
      id
      name
      country {
        code
      }
    }
    recommendations {
      text
      accepted
      cases {
        id
        reference
        title
      }
    }
  }
`);

export const SubmissionQuery = graphql(`
  query Submission($id: ID!) {
    node(id: $id) {
      ... on Submission {
        ...SubmissionDetails
      }
    }
  }
`);

/** Who the person is: staff write; a member organisation's person answers calls for its organisation. */
export const SubmissionDeskMeQuery = graphql(`
  query SubmissionDeskMe {
    me {
      id
      role
      clearance
      account {
        id
        organisationId
      }
    }
  }
`);

/** Cases a recommendation can be linked to (those the person may see). */
export const CaseOptionsQuery = graphql(`
  query SubmissionCaseOptions($filter: CaseFilter) {
    cases(filter: $filter, first: 100) {
      nodes {
        id
        reference
        title
      }
    }
  }
`);

export const PlanSubmissionMutation = graphql(`
  mutation PlanSubmission($input: PlanSubmissionInput!) {
    planSubmission(input: $input) {
      submission {
        ...SubmissionDetails
      }
    }
  }
`);

export const AddCoSignatoryMutation = graphql(`
  mutation AddCoSignatory($input: AddCoSignatoryInput!) {
    addCoSignatory(input: $input) {
      submission {
        ...SubmissionDetails
      }
    }
  }
`);

export const RemoveCoSignatoryMutation = graphql(`
  mutation RemoveCoSignatory($input: RemoveCoSignatoryInput!) {
    removeCoSignatory(input: $input) {
      submission {
        ...SubmissionDetails
      }
    }
  }
`);

export const AttachSubmissionTextMutation = graphql(`
  mutation AttachSubmissionText($input: AttachSubmissionTextInput!) {
    attachSubmissionText(input: $input) {
      submission {
        ...SubmissionDetails
      }
    }
  }
`);

export const MarkSubmittedMutation = graphql(`
  mutation MarkSubmitted($input: MarkSubmittedInput!) {
    markSubmitted(input: $input) {
      submission {
        ...SubmissionDetails
      }
    }
  }
`);

export const RecordOutcomeMutation = graphql(`
  mutation RecordOutcome($input: RecordOutcomeInput!) {
    recordOutcome(input: $input) {
      submission {
        ...SubmissionDetails
      }
    }
  }
`);

/** The calls for input the person may see (staff: all; a member organisation: those addressed to it). */
export const CallListQuery = graphql(`
  query CallList($filter: CallForInputFilter, $first: Int, $after: String) {
    callsForInput(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        title
        deadline
        status
        confidentiality
        audience {
          code
        }
        audienceRegions
        inputs {
          receivedAt
        }
        notAnswered {
          id
        }
      }
    }
  }
`);

export const CallDetailsFields = graphql(`
  fragment CallDetails on CallForInput {
    id
    title
    question
    deadline
    status
    closedAt
    confidentiality
    version
    updatedAt
    audienceRegions
    audience {
      code
    }
    inputs {
      text
      receivedAt
      sharedWithNetwork
      organisation {
        id
        name
        country {
          code
        }
      }
    }
    answered {
      id
      name
    }
    notAnswered {
      id
      name
      country {
        code
      }
    }
  }
`);

export const CallQuery = graphql(`
  query CallForInput($id: ID!) {
    node(id: $id) {
      ... on CallForInput {
        ...CallDetails
      }
    }
  }
`);

export const OpenCallForInputMutation = graphql(`
  mutation OpenCallForInput($input: OpenCallForInputInput!) {
    openCallForInput(input: $input) {
      callForInput {
        ...CallDetails
      }
    }
  }
`);

export const ExtendCallDeadlineMutation = graphql(`
  mutation ExtendCallDeadline($input: ExtendCallDeadlineInput!) {
    extendCallDeadline(input: $input) {
      callForInput {
        ...CallDetails
      }
    }
  }
`);

export const ReceiveInputMutation = graphql(`
  mutation ReceiveInput($input: ReceiveInputInput!) {
    receiveInput(input: $input) {
      callForInput {
        ...CallDetails
      }
    }
  }
`);
