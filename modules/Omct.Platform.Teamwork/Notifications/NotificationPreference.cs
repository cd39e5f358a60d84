using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.EventSourcing;
using Omct.Platform.Teamwork.Records;

namespace Omct.Platform.Teamwork.Notifications;

/// <summary>IMMEDIATE: an e-mail for each; DAILY: one summary a day (the default); NONE: no e-mail (the console still shows them).</summary>
public enum NotificationMode { Immediate, Daily, None }

/// <summary>How a person wants to be told of new reminders and mentions (one per account; absent: DAILY).</summary>
public sealed class NotificationPreference
{
    /// <summary>The account's id.</summary>
    public Guid Id { get; set; }
    public NotificationMode Mode { get; set; } = NotificationMode.Daily;
    public DateTimeOffset? UpdatedAt { get; set; }

    public static NotificationPreference Default(Guid accountId) => new() { Id = accountId };
}

/// <summary>setNotificationPreference: STAFF, for the caller's own account (VALIDATION for a caller that is not a person).</summary>
internal sealed class NotificationPreferenceCommands(StreamCommands commands, TimeProvider time)
{
    public const string What = "The notification preference";

    public Task<NotificationPreference> SetAsync(NotificationMode mode, string? clientMutationId, CancellationToken ct)
    {
        commands.RequireRole(Role.Staff);
        var me = Colleagues.AccountIdOf(commands.Caller) ?? throw DomainException.Validation("mode", "Only a person signed in has notifications.");
        return commands.OnceAsync<NotificationPreference>("setNotificationPreference", clientMutationId, p => p.Id == me, What, async receipt =>
        {
            await using var session = commands.OpenSession(clientMutationId);
            var preference = await session.LoadAsync<NotificationPreference>(me, ct) ?? NotificationPreference.Default(me);
            if (preference.Mode != mode || preference.UpdatedAt is null)
            {
                preference.Mode = mode;
                preference.UpdatedAt = time.GetUtcNow();
                session.Store(preference);
                receipt.Record(session, me);
                await session.SaveChangesAsync(ct);
            }

            return preference;
        }, ct);
    }
}
