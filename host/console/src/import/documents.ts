import { graphql } from '../gql';

/** Who is importing: the role (STAFF and above import) and the clearance (a default confidentiality up to it). */
export const ImportMeQuery = graphql(`
  query ImportMe {
    me {
      id
      role
      clearance
    }
  }
`);

/** Makes an import file of a complete tus upload: its format and columns are read. */
export const CreateImportMutation = graphql(`
  mutation CreateImport($input: CreateImportInput!) {
    createImport(input: $input) {
      importFile {
        id
        fileName
        format
        columns
      }
    }
  }
`);

/** An import file with its columns and its first rows. */
export const ImportFileQuery = graphql(`
  query ImportFile($id: ID!, $first: Int) {
    importFile(id: $id) {
      id
      fileName
      format
      size
      columns
      createdAt
      deletedAt
      preview(first: $first) {
        line
        cells
      }
    }
  }
`);

/** The fields an importer takes (what a column maps to). */
export const ImportFieldsQuery = graphql(`
  query ImportFields($kind: ImportKind!) {
    importFields(kind: $kind) {
      name
      description
      required
      part
    }
  }
`);

export const ImportMappingDetails = graphql(`
  fragment ImportMappingDetails on ImportMapping {
    id
    name
    kind
    keyColumn
    version
    savedBy
    updatedAt
    columns {
      column
      field
    }
    fixedValues {
      field
      value
    }
  }
`);

/** The saved mappings, newest first. */
export const ImportMappingsQuery = graphql(`
  query ImportMappings($first: Int, $after: String) {
    importMappings(first: $first, after: $after) {
      totalCount
      nodes {
        ...ImportMappingDetails
      }
    }
  }
`);

export const SaveImportMappingMutation = graphql(`
  mutation SaveImportMapping($input: SaveImportMappingInput!) {
    saveImportMapping(input: $input) {
      importMapping {
        ...ImportMappingDetails
      }
    }
  }
`);

export const ImportRunProgress = graphql(`
  fragment ImportRunProgress on ImportRun {
    id
    fileId
    fileName
    format
    dryRun
    status
    error
    startedBy
    createdAt
    startedAt
    finishedAt
    rowsTotal
    rowsDone
    created
    changed
    unchanged
    changedNotApplied
    errorRows
    rate
    secondsLeft
    errorReportUrl
    mapping {
      id
      name
      kind
    }
  }
`);

export const StartImportMutation = graphql(`
  mutation StartImport($input: StartImportInput!) {
    startImport(input: $input) {
      importRun {
        ...ImportRunProgress
      }
    }
  }
`);

export const CancelImportMutation = graphql(`
  mutation CancelImport($input: CancelImportInput!) {
    cancelImport(input: $input) {
      importRun {
        ...ImportRunProgress
      }
    }
  }
`);

/** One run with its progress and a page of its errors (line, column, message). */
export const ImportRunQuery = graphql(`
  query ImportRun($id: ID!, $first: Int, $after: String) {
    importRun(id: $id) {
      ...ImportRunProgress
      errors(first: $first, after: $after) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          line
          column
          message
        }
      }
    }
  }
`);

/** The person's runs (an ADMIN: everyone's), newest first. */
export const ImportRunsQuery = graphql(`
  query ImportRuns($first: Int, $after: String) {
    importRuns(first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        ...ImportRunProgress
      }
    }
  }
`);
