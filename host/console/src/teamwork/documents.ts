import { graphql } from '../gql';

/** Who the person is (their account, to find their own tasks and to offer "me" as an assignee). */
export const TeamworkMeQuery = graphql(`
  query TeamworkMe {
    me {
      id
      name
      role
      clearance
      account {
        id
        displayName
      }
    }
  }
`);

/** What a task list shows of each task; `version` is what complete/cancel/reassign send as expectedVersion. */
export const TaskFields = graphql(`
  fragment TaskFields on Task {
    id
    title
    dueOn
    status
    assigneeId
    assignee {
      accountId
      name
    }
    template
    recordId
    record {
      ...RecordLabel
    }
    confidentiality
    version
    updatedAt
  }
`);

/** Enough of a record (a case, a defender, a submission, a call for input) to name it and link to it. */
export const RecordLabelFields = graphql(`
  fragment RecordLabel on Node {
    id
    ... on Case {
      reference
      title
      updatedAt
    }
    ... on Defender {
      name
      pseudonym
      updatedAt
    }
    ... on Submission {
      title
      updatedAt
    }
    ... on CallForInput {
      title
      updatedAt
    }
  }
`);

export const NoteFields = graphql(`
  fragment NoteFields on Note {
    id
    markdown
    bodyHtml
    author
    confidentiality
    version
    createdAt
    updatedAt
  }
`);

/** Who is on a record's team, and the team's version (what assignOwner sends as expectedVersion). */
export const TeamMembersFields = graphql(`
  fragment TeamMembers on Teamwork {
    id
    version
    owner {
      accountId
      name
    }
    watchers {
      accountId
      name
    }
  }
`);

/** A record's team: owner, watchers and notes (the first 50, oldest first). */
export const TeamQuery = graphql(`
  query Team($recordId: ID!) {
    teamwork(recordId: $recordId) {
      ...TeamMembers
      recordId
      confidentiality
      notes(first: 50) {
        totalCount
        nodes {
          ...NoteFields
        }
      }
    }
  }
`);

/** Tasks, by due date: a record's (recordId), a person's (assigneeId), a due window, statuses; one page of `first`. */
export const TasksQuery = graphql(`
  query Tasks($filter: TaskFilter, $first: Int, $after: String) {
    tasks(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        ...TaskFields
      }
    }
  }
`);

/** The accounts an ADMIN may list (the API refuses the list to anyone else): offered as owners and assignees. */
export const TeamworkColleaguesQuery = graphql(`
  query TeamworkColleagues($recordId: ID, $level: Confidentiality) {
    colleagues(recordId: $recordId, level: $level) {
      accountId
      name
      handle
    }
  }
`);

/** My work: my open tasks by due date, my reminders, the records I own or watch, my unread mentions. */
export const MyWorkQuery = graphql(`
  query MyWork {
    myWork {
      openTasks {
        ...TaskFields
      }
      reminders {
        id
        title
        dueOn
        remindOn
        reason
        recordId
        record {
          ...RecordLabel
        }
        confidentiality
        version
      }
      records {
        id
        recordId
        record {
          ...RecordLabel
        }
        owner {
          accountId
          name
        }
        confidentiality
        updatedAt
      }
      unreadMentions {
        id
        mentionedAt
        note {
          id
          bodyHtml
          author
          confidentiality
          recordId
          record {
            ...RecordLabel
          }
        }
      }
    }
  }
`);

export const AssignOwnerMutation = graphql(`
  mutation AssignOwner($input: AssignOwnerInput!) {
    assignOwner(input: $input) {
      teamwork {
        ...TeamMembers
      }
    }
  }
`);

export const WatchRecordMutation = graphql(`
  mutation WatchRecord($input: WatchRecordInput!) {
    watchRecord(input: $input) {
      teamwork {
        ...TeamMembers
      }
    }
  }
`);

export const UnwatchRecordMutation = graphql(`
  mutation UnwatchRecord($input: UnwatchRecordInput!) {
    unwatchRecord(input: $input) {
      teamwork {
        ...TeamMembers
      }
    }
  }
`);

export const CreateTaskMutation = graphql(`
  mutation CreateTask($input: CreateTaskInput!) {
    createTask(input: $input) {
      task {
        ...TaskFields
      }
    }
  }
`);

export const CompleteTaskMutation = graphql(`
  mutation CompleteTask($input: CompleteTaskInput!) {
    completeTask(input: $input) {
      task {
        ...TaskFields
      }
    }
  }
`);

export const CancelTaskMutation = graphql(`
  mutation CancelTask($input: CancelTaskInput!) {
    cancelTask(input: $input) {
      task {
        ...TaskFields
      }
    }
  }
`);

export const ReassignTaskMutation = graphql(`
  mutation ReassignTask($input: ReassignTaskInput!) {
    reassignTask(input: $input) {
      task {
        ...TaskFields
      }
    }
  }
`);

export const WriteNoteMutation = graphql(`
  mutation WriteNote($input: WriteNoteInput!) {
    writeNote(input: $input) {
      note {
        ...NoteFields
      }
    }
  }
`);

export const EditNoteMutation = graphql(`
  mutation EditNote($input: EditNoteInput!) {
    editNote(input: $input) {
      note {
        ...NoteFields
      }
    }
  }
`);

export const MarkMentionReadMutation = graphql(`
  mutation MarkMentionRead($input: MarkMentionReadInput!) {
    markMentionRead(input: $input) {
      mention {
        id
        readAt
      }
    }
  }
`);

export const AcknowledgeReminderMutation = graphql(`
  mutation AcknowledgeReminder($input: AcknowledgeReminderInput!) {
    acknowledgeReminder(input: $input) {
      reminderItem {
        id
        status
        version
      }
    }
  }
`);

export const SnoozeReminderMutation = graphql(`
  mutation SnoozeReminder($input: SnoozeReminderInput!) {
    snoozeReminder(input: $input) {
      reminderItem {
        id
        status
        showsOn
        version
      }
    }
  }
`);
