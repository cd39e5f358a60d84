using Marten;
using Microsoft.AspNetCore.Http;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.Idempotency;

namespace Omct.Platform.Reminders.CalendarFeeds;

/// <summary>Creating, reading and revoking the signed-in person's own feed. Scoped.</summary>
internal sealed class CalendarFeedCommands(
    IDocumentStore store, TimeProvider time, MutationPipeline pipeline, IAccountCallers accounts, IHttpContextAccessor http)
{
    /// <summary>
    /// A new secret URL for the caller's account (the previous URL, if any, stops working). FORBIDDEN for a caller
    /// that is not a person's account (an API key, a bearer token): a feed is fetched later as the account is then.
    /// A repeat of the same clientMutationId is CONFLICT: the URL was shown once.
    /// </summary>
    public async Task<CreateCalendarFeedPayload> CreateAsync(string? clientMutationId, CancellationToken ct)
    {
        var callerId = await OwnAccountAsync(ct);
        return await pipeline.RunAsync("createCalendarFeed", clientMutationId,
            _ => throw DomainException.Conflict("A calendar feed was already created with this clientMutationId; its URL was shown once. Create another one if it was lost."),
            async receipt =>
            {
                var secret = CalendarFeedSecret.Generate();
                var feed = new CalendarFeed
                {
                    Id = callerId,
                    SecretHash = CalendarFeedSecret.Hash(secret),
                    Prefix = CalendarFeedSecret.PrefixOf(secret),
                    CreatedAt = time.GetUtcNow(),
                };
                await using var session = store.LightweightSession();
                session.Store(feed);
                receipt.Record(session, ReceiptId(callerId));
                await session.SaveChangesAsync(ct);
                return new CreateCalendarFeedPayload(UrlOf(secret), feed, clientMutationId);
            }, ct);
    }

    /// <summary>Deletes the caller's feed: its URL answers 404 from now on. Revoking when there is none is not an error.</summary>
    public async Task<RevokeCalendarFeedPayload> RevokeAsync(string? clientMutationId, CancellationToken ct)
    {
        var callerId = await OwnAccountAsync(ct);
        return await pipeline.RunAsync("revokeCalendarFeed", clientMutationId,
            _ => Task.FromResult(new RevokeCalendarFeedPayload(null, clientMutationId)),
            async receipt =>
            {
                await using var session = store.LightweightSession();
                session.Delete<CalendarFeed>(callerId);
                receipt.Record(session, ReceiptId(callerId));
                await session.SaveChangesAsync(ct);
                return new RevokeCalendarFeedPayload(null, clientMutationId);
            }, ct);
    }

    /// <summary>The caller's feed (without its secret), or null.</summary>
    public async Task<CalendarFeed?> OwnFeedAsync(CancellationToken ct)
    {
        if (!IsAccountCaller(pipeline.Caller))
        {
            return null;
        }

        await using var session = store.QuerySession();
        return await session.LoadAsync<CalendarFeed>(pipeline.Caller.Id!, ct);
    }

    private async Task<string> OwnAccountAsync(CancellationToken ct)
    {
        var caller = pipeline.Caller;
        // A bearer-token user also has a user: id, but no account the platform can check at each fetch.
        return IsAccountCaller(caller) && await accounts.FindActiveAsync(caller.Id!, ct) is not null
            ? caller.Id!
            : throw DomainException.Forbidden();
    }

    private static bool IsAccountCaller(Caller caller) => caller.Id?.StartsWith("user:", StringComparison.Ordinal) == true;

    /// <summary>The receipt's entity id: the account's (a feed has no id of its own besides the caller id).</summary>
    private static Guid ReceiptId(string callerId) => Guid.TryParse(callerId.AsSpan(5), out var id) ? id : Guid.Empty;

    private string UrlOf(string secret)
    {
        var request = http.HttpContext?.Request;
        var origin = request is null ? "" : $"{request.Scheme}://{request.Host}{request.PathBase}";
        return $"{origin}{CalendarFeedEndpoint.Path}/{secret}.ics";
    }
}

internal sealed record CreateCalendarFeedPayload(string Url, CalendarFeed CalendarFeed, string? ClientMutationId);

internal sealed record RevokeCalendarFeedPayload(CalendarFeed? CalendarFeed, string? ClientMutationId);
