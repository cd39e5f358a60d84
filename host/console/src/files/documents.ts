import { graphql } from '../gql';

/** What a file row shows; `version` is what "Change the level" sends as expectedVersion. */
export const FileRowFields = graphql(`
  fragment FileRow on File {
    id
    fileName
    mediaType
    size
    sha256
    confidentiality
    description
    uploadedAt
    downloadUrl
    thumbnailUrl
    version
    createdAt
  }
`);

export const AttachFileMutation = graphql(`
  mutation AttachFile($input: AttachFileInput!) {
    attachFile(input: $input) {
      clientMutationId
      file {
        ...FileRow
      }
    }
  }
`);

export const ReclassifyFileMutation = graphql(`
  mutation ReclassifyFile($input: ReclassifyFileInput!) {
    reclassifyFile(input: $input) {
      clientMutationId
      file {
        ...FileRow
      }
    }
  }
`);

/**
 * One file again, from the API, with its chain of custody (STAFF; null below): asked when a preview or the custody
 * opens — never for a whole list, whose query would be too complex — and for "reload and re-apply".
 */
export const FileQuery = graphql(`
  query FileWithCustody($id: ID!) {
    node(id: $id) {
      ... on File {
        ...FileRow
        custody {
          kind
          at
          by
          traceId
          from
          to
        }
      }
    }
  }
`);
