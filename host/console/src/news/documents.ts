import { graphql } from '../gql';

/** The article list: the API's filter (statuses, language, kinds, text) and cursor paging. */
export const ArticleListQuery = graphql(`
  query ArticleList($filter: ArticleFilter, $first: Int, $after: String) {
    articles(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        title
        language
        fallback
        languages
        kind
        status
        confidentiality
        publishAt
        publishedAt
        updatedAt
      }
    }
  }
`);

/** Everything the editor shows; `version` is what every form sends as expectedVersion. */
export const ArticleDetailsFields = graphql(`
  fragment ArticleDetails on Article {
    id
    kind
    status
    confidentiality
    originalLanguage
    languages
    publishAt
    publishedAt
    withheldReason
    version
    updatedAt
    themes
    countries {
      code
    }
    translations {
      language
      slug
      title
      summary
      body
      bodyHtml
    }
    cases {
      id
      reference
      title
    }
    defenders {
      id
      name
      pseudonym
    }
    submissions {
      id
      title
      mechanism
    }
  }
`);

export const ArticleQuery = graphql(`
  query ArticleEditor($id: ID!) {
    node(id: $id) {
      id
      ... on Article {
        ...ArticleDetails
      }
    }
  }
`);

/** The sanitised HTML the API would store for this Markdown (nothing saved). */
export const PreviewArticleBodyQuery = graphql(`
  query PreviewArticleBody($markdown: String!) {
    previewArticleBody(markdown: $markdown)
  }
`);

export const NewsDeskMeQuery = graphql(`
  query NewsDeskMe {
    me {
      id
      role
      clearance
    }
  }
`);

/** What can be linked: cases, defenders and submissions the person may see, found by text. */
export const LinkableCasesQuery = graphql(`
  query LinkableCases($text: String) {
    cases(filter: { text: $text }, first: 20) {
      nodes {
        id
        reference
        title
      }
    }
  }
`);

export const LinkableDefendersQuery = graphql(`
  query LinkableDefenders($text: String) {
    defenders(filter: { text: $text }, first: 20) {
      nodes {
        id
        name
        pseudonym
      }
    }
  }
`);

export const LinkableSubmissionsQuery = graphql(`
  query LinkableSubmissions {
    submissions(first: 50) {
      nodes {
        id
        title
        mechanism
      }
    }
  }
`);

export const DraftArticleMutation = graphql(`
  mutation DraftArticle($input: DraftArticleInput!) {
    draftArticle(input: $input) {
      clientMutationId
      article {
        ...ArticleDetails
      }
    }
  }
`);

export const SaveTranslationMutation = graphql(`
  mutation SaveTranslation($input: SaveTranslationInput!) {
    saveTranslation(input: $input) {
      clientMutationId
      article {
        ...ArticleDetails
      }
    }
  }
`);

export const TagArticleMutation = graphql(`
  mutation TagArticle($input: TagArticleInput!) {
    tagArticle(input: $input) {
      clientMutationId
      article {
        ...ArticleDetails
      }
    }
  }
`);

export const PublishArticleMutation = graphql(`
  mutation PublishArticle($input: PublishArticleInput!) {
    publishArticle(input: $input) {
      clientMutationId
      article {
        ...ArticleDetails
      }
    }
  }
`);

export const UnpublishArticleMutation = graphql(`
  mutation UnpublishArticle($input: UnpublishArticleInput!) {
    unpublishArticle(input: $input) {
      clientMutationId
      article {
        ...ArticleDetails
      }
    }
  }
`);

export const ArchiveArticleMutation = graphql(`
  mutation ArchiveArticle($input: ArchiveArticleInput!) {
    archiveArticle(input: $input) {
      clientMutationId
      article {
        ...ArticleDetails
      }
    }
  }
`);
