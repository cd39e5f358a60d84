import { graphql } from '../gql';

/** The Administration area's GraphQL documents (persisted by the build). Every one is ADMIN-only in the API. */

export const AccountsQuery = graphql(`
  query AdminAccounts($first: Int, $after: String) {
    accounts(first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes {
        id displayName email role clearance disabled disabledAt createdAt external
        factors { password authenticator recoveryCodesLeft passkeys { id } }
      }
    }
  }
`);

export const InviteAccountMutation = graphql(`
  mutation AdminInviteAccount($input: InviteAccountInput!) {
    inviteAccount(input: $input) { account { id email role clearance } }
  }
`);

export const ChangeAccountRoleMutation = graphql(`
  mutation AdminChangeAccountRole($input: ChangeAccountRoleInput!) {
    changeAccountRole(input: $input) { account { id role clearance } }
  }
`);

export const DisableAccountMutation = graphql(`
  mutation AdminDisableAccount($input: DisableAccountInput!) {
    disableAccount(input: $input) { account { id disabled disabledAt } }
  }
`);

export const ResetSecondFactorMutation = graphql(`
  mutation AdminResetSecondFactor($input: ResetSecondFactorInput!) {
    resetSecondFactor(input: $input) { account { id factors { authenticator recoveryCodesLeft } } }
  }
`);

export const ApiKeysQuery = graphql(`
  query AdminApiKeys($first: Int, $after: String) {
    apiKeys(first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes { id name prefix role clearance createdAt expiresAt revokedAt persistedOperationsOnly lastUsedAt }
    }
  }
`);

export const CreateApiKeyMutation = graphql(`
  mutation AdminCreateApiKey($input: CreateApiKeyInput!) {
    createApiKey(input: $input) { key apiKey { id name prefix } }
  }
`);

export const RevokeApiKeyMutation = graphql(`
  mutation AdminRevokeApiKey($input: RevokeApiKeyInput!) {
    revokeApiKey(input: $input) { apiKey { id revokedAt } }
  }
`);

export const WebhooksQuery = graphql(`
  query AdminWebhooks($first: Int, $after: String) {
    webhooks(first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes {
        id name url entityTypes status pauseCause pausedReason pausedAt version secretRotatedAt
        consecutiveFailures nextRetryAt lastDeliveredAt deliveredBatches
        deliversAs { callerId name role clearance }
        pendingDelivery { id changes attempts readAt }
        lastAttempts(first: 5) { deliveryId attempt at delivered statusCode error durationMs changes }
      }
    }
  }
`);

export const PauseWebhookMutation = graphql(`
  mutation AdminPauseWebhook($input: PauseWebhookInput!) {
    pauseWebhook(input: $input) { webhook { id status pauseCause version } }
  }
`);

export const ResumeWebhookMutation = graphql(`
  mutation AdminResumeWebhook($input: ResumeWebhookInput!) {
    resumeWebhook(input: $input) { webhook { id status pauseCause nextRetryAt version } }
  }
`);

export const RotateWebhookSecretMutation = graphql(`
  mutation AdminRotateWebhookSecret($input: RotateWebhookSecretInput!) {
    rotateWebhookSecret(input: $input) { secret webhook { id secretRotatedAt version } }
  }
`);

export const ScheduledJobsQuery = graphql(`
  query AdminScheduledJobs {
    reminderLeads { anniversaryDays deadlineDays }
    scheduledJobs {
      name description cron intervalSeconds timeZone takesAsOf nextFireTime lastCompletedDay
      lastRun { id startedAt durationMs items outcome error asOf trigger node progressDone progressTotal }
      running { id node trigger asOf startedAt progressDone progressTotal updatedAt }
    }
  }
`);

export const RunJobMutation = graphql(`
  mutation AdminRunJob($input: RunJobInput!) {
    runJob(input: $input) { run { id name startedAt durationMs items outcome error asOf progressDone progressTotal } }
  }
`);

export const AuditEntriesQuery = graphql(`
  query AdminAuditEntries($entityId: ID!, $filter: AuditEntryFilter, $first: Int, $after: String) {
    auditEntries(entityId: $entityId, filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes { kind at action version by traceId clientMutationId }
    }
  }
`);

export const PlatformHealthQuery = graphql(`
  query AdminPlatformHealth {
    platformHealth {
      highWaterMark lastEventSequence node
      projections { name position behind status runningHere }
      schedulerNodes { node thisHost schedulerRunning lastCheckIn checkInIntervalMs late }
    }
  }
`);
