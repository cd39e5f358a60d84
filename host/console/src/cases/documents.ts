import { graphql } from '../gql';

/** The cases list: the API's filter, order and cursor paging (one page of `first`). */
export const CaseListQuery = graphql(`
  query CaseList($filter: CaseFilter, $orderBy: CaseOrder, $first: Int, $after: String) {
    cases(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        reference
        title
        status
        confidentiality
        openedOn
        country {
          code
        }
      }
    }
  }
`);

/** Everything the case page shows; `version` is what every form sends as expectedVersion. */
export const CaseDetailsFields = graphql(`
  fragment CaseDetails on Case {
    id
    reference
    title
    status
    confidentiality
    summary
    openedOn
    version
    updatedAt
    country {
      code
    }
    victims {
      id
      name
      defenderId
      confidentiality
      defender {
        id
      }
    }
    events(orderBy: DATE) {
      id
      type
      date
      description
      perpetratorType
      source
      confidentiality
      victims {
        id
        name
      }
    }
    interventions {
      type
      number
      reference
      issuedOn
      addressees
    }
  }
`);

export const CaseQuery = graphql(`
  query CaseDesk($id: ID!) {
    case(id: $id) {
      ...CaseDetails
    }
  }
`);

/** Apart from the case: for a caller who may not read it the API answers FORBIDDEN, and the page hides the section. */
export const CaseAuditTrailQuery = graphql(`
  query CaseAuditTrail($id: ID!) {
    auditTrail(entityId: $id) {
      kind
      at
      action
      version
      by
    }
  }
`);

export const CaseDeskMeQuery = graphql(`
  query CaseDeskMe {
    me {
      id
      clearance
      role
    }
  }
`);

export const OpenCaseMutation = graphql(`
  mutation OpenCase($input: OpenCaseInput!) {
    openCase(input: $input) {
      clientMutationId
      case {
        ...CaseDetails
      }
    }
  }
`);

export const RecordCaseEventMutation = graphql(`
  mutation RecordCaseEvent($input: RecordCaseEventInput!) {
    recordCaseEvent(input: $input) {
      clientMutationId
      case {
        ...CaseDetails
      }
    }
  }
`);

export const CorrectCaseEventMutation = graphql(`
  mutation CorrectCaseEvent($input: CorrectCaseEventInput!) {
    correctCaseEvent(input: $input) {
      clientMutationId
      case {
        ...CaseDetails
      }
    }
  }
`);

export const AddVictimMutation = graphql(`
  mutation AddVictim($input: AddVictimInput!) {
    addVictim(input: $input) {
      clientMutationId
      case {
        ...CaseDetails
      }
    }
  }
`);

export const IssueInterventionMutation = graphql(`
  mutation IssueIntervention($input: IssueInterventionInput!) {
    issueIntervention(input: $input) {
      clientMutationId
      case {
        ...CaseDetails
      }
    }
  }
`);

export const ChangeCaseStatusMutation = graphql(`
  mutation ChangeCaseStatus($input: ChangeCaseStatusInput!) {
    changeCaseStatus(input: $input) {
      clientMutationId
      case {
        ...CaseDetails
      }
    }
  }
`);

export const ChangeCaseConfidentialityMutation = graphql(`
  mutation ChangeCaseConfidentiality($input: ChangeCaseConfidentialityInput!) {
    changeCaseConfidentiality(input: $input) {
      clientMutationId
      case {
        ...CaseDetails
      }
    }
  }
`);

/** The add-victim form's defender picker: profiles the person may find, by name (when they may see it) or pseudonym. */
export const DefenderPickerQuery = graphql(`
  query DefenderPicker($text: String!) {
    defenders(filter: { text: $text }, first: 10) {
      nodes {
        id
        name
        pseudonym
        country {
          code
        }
      }
    }
  }
`);
