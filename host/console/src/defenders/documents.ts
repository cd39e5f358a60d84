import { graphql } from '../gql';

/** The defenders list: the API's filter and cursor paging (one page of `first`). The name is null where the caller may not see it. */
export const DefenderListQuery = graphql(`
  query DefenderList($filter: DefenderFilter, $first: Int, $after: String) {
    defenders(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        name
        pseudonym
        situation
        riskLevel
        confidentiality
        erased
        country {
          code
        }
        organisations {
          id
          name
        }
      }
    }
  }
`);

/**
 * Everything the profile shows — never the RESTRICTED details (contact, location, family, risk notes): those are read
 * by DefenderConfidentialQuery only when the person asks to reveal them, and each read is in the audit trail.
 * `version` is what every form sends as expectedVersion.
 */
export const DefenderProfileFields = graphql(`
  fragment DefenderProfile on Defender {
    id
    name
    pseudonym
    gender
    situation
    confidentiality
    consentToPublishName
    consentToPublishPortrait
    thematicAreas
    riskLevel
    erased
    version
    createdAt
    updatedAt
    country {
      code
    }
    consent {
      toPublishName
      toPublishPortrait
      givenOn
      recordedBy
    }
    situationHistory {
      situation
      date
      fromCase
      confidentiality
      case {
        id
        reference
        title
      }
    }
    affiliations {
      endedOn
      reason
      organisation {
        id
        name
        networkMember
        country {
          code
        }
      }
    }
    cases {
      id
      reference
      title
      status
      openedOn
      confidentiality
    }
  }
`);

export const DefenderProfileQuery = graphql(`
  query DefenderProfile($id: ID!) {
    defender(id: $id) {
      ...DefenderProfile
    }
  }
`);

/** The RESTRICTED details, read on demand only (the API records each read of them in the profile's audit trail). */
export const DefenderConfidentialQuery = graphql(`
  query DefenderConfidentialDetails($id: ID!) {
    defender(id: $id) {
      id
      contact
      location
      family
      riskNotes
    }
  }
`);

export const DefenderDeskMeQuery = graphql(`
  query DefenderDeskMe {
    me {
      id
      clearance
      role
    }
  }
`);

export const RegisterDefenderMutation = graphql(`
  mutation RegisterDefender($input: RegisterDefenderInput!) {
    registerDefender(input: $input) {
      clientMutationId
      defender {
        ...DefenderProfile
      }
    }
  }
`);

export const UpdateDefenderMutation = graphql(`
  mutation UpdateDefender($input: UpdateDefenderInput!) {
    updateDefender(input: $input) {
      clientMutationId
      defender {
        ...DefenderProfile
      }
    }
  }
`);

export const RecordConsentMutation = graphql(`
  mutation RecordConsent($input: RecordConsentInput!) {
    recordConsent(input: $input) {
      clientMutationId
      defender {
        ...DefenderProfile
      }
    }
  }
`);

export const RecordDefenderSituationMutation = graphql(`
  mutation RecordDefenderSituation($input: RecordDefenderSituationInput!) {
    recordDefenderSituation(input: $input) {
      clientMutationId
      defender {
        ...DefenderProfile
      }
    }
  }
`);

export const AffiliateDefenderMutation = graphql(`
  mutation AffiliateDefender($input: AffiliateDefenderInput!) {
    affiliateDefender(input: $input) {
      clientMutationId
      defender {
        ...DefenderProfile
      }
    }
  }
`);

export const EndAffiliationMutation = graphql(`
  mutation EndAffiliation($input: EndAffiliationInput!) {
    endAffiliation(input: $input) {
      clientMutationId
      defender {
        ...DefenderProfile
      }
    }
  }
`);

export const SetRiskLevelMutation = graphql(`
  mutation SetRiskLevel($input: SetRiskLevelInput!) {
    setRiskLevel(input: $input) {
      clientMutationId
      defender {
        ...DefenderProfile
      }
    }
  }
`);

/** Writes the RESTRICTED details; the answer asks for the profile only (reading them back would be a read to record). */
export const SetConfidentialDetailsMutation = graphql(`
  mutation SetConfidentialDetails($input: SetConfidentialDetailsInput!) {
    setConfidentialDetails(input: $input) {
      clientMutationId
      defender {
        ...DefenderProfile
      }
    }
  }
`);

export const MergeDefendersMutation = graphql(`
  mutation MergeDefenders($input: MergeDefendersInput!) {
    mergeDefenders(input: $input) {
      clientMutationId
      defender {
        ...DefenderProfile
      }
    }
  }
`);

export const EraseDefenderMutation = graphql(`
  mutation EraseDefenderPersonalData($input: EraseDefenderPersonalDataInput!) {
    eraseDefenderPersonalData(input: $input) {
      clientMutationId
      defender {
        ...DefenderProfile
      }
    }
  }
`);

/** ADMIN, on an erased profile: the records whose free text named the person and that the erasure redacted (never the name). */
export const DefenderErasureRedactionsQuery = graphql(`
  query DefenderErasureRedactions($id: ID!) {
    defender(id: $id) {
      id
      erasureRedactions {
        recordId
        recordType
        label
        fields
        occurrences
      }
    }
  }
`);

/** The organisations list (network members and other NGOs), with the API's filter and cursor paging. */
export const OrganisationListQuery = graphql(`
  query OrganisationList($filter: OrganisationFilter, $first: Int, $after: String) {
    organisations(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        ...OrganisationDetails
      }
    }
  }
`);

export const OrganisationDetailsFields = graphql(`
  fragment OrganisationDetails on Organisation {
    id
    name
    networkMember
    memberSince
    confidentiality
    version
    country {
      code
    }
  }
`);

export const RegisterOrganisationMutation = graphql(`
  mutation RegisterOrganisation($input: RegisterOrganisationInput!) {
    registerOrganisation(input: $input) {
      clientMutationId
      organisation {
        ...OrganisationDetails
      }
    }
  }
`);

export const UpdateOrganisationMutation = graphql(`
  mutation UpdateOrganisation($input: UpdateOrganisationInput!) {
    updateOrganisation(input: $input) {
      clientMutationId
      organisation {
        ...OrganisationDetails
      }
    }
  }
`);

export const SetNetworkMembershipMutation = graphql(`
  mutation SetNetworkMembership($input: SetNetworkMembershipInput!) {
    setNetworkMembership(input: $input) {
      clientMutationId
      organisation {
        ...OrganisationDetails
      }
    }
  }
`);

/** One organisation by id (for "reload and re-apply"). */
export const OrganisationNodeQuery = graphql(`
  query OrganisationNode($id: ID!) {
    node(id: $id) {
      ... on Organisation {
        ...OrganisationDetails
      }
    }
  }
`);
