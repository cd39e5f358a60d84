using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.Digests.Subscriptions;

namespace Omct.Platform.Digests.Composing;

public enum DigestSectionKind { NewCases, CaseEvents, Interventions, Articles, Anniversaries, Deadlines, CallsForInput }

/// <summary>
/// One entry of a section: what it is (entity type and id, as the API names them), its title and what
/// the digest says of it. When its text names registered defenders, <see cref="Parts"/> holds that text
/// in pieces, each name a piece of its own with the defender's id: the text is their concatenation, and
/// an erasure replaces the name's piece (<see cref="DigestErasure"/>) without searching the text for it.
/// </summary>
public sealed record DigestItem(
    string Title, string? Text, string? Date, string? Reference, string? CountryCode, string? Type, string? EntityType, Guid? EntityId,
    IReadOnlyList<DigestTextPart>? Parts = null);

/// <summary>
/// A piece of an item's text: literal text, or (with <see cref="DefenderId"/>) a defender's display name as the defenders module
/// gave it, or (with <see cref="FileId"/>) the name of a file attached to the item's record, as the files module gave it (a file
/// raised later above the digest's audience leaves by it, <see cref="DigestFiles"/>).
/// </summary>
public sealed record DigestTextPart(string Text, Guid? DefenderId = null, Guid? FileId = null);

/// <summary>
/// A section: at most <see cref="DigestOptions.MaxItemsPerSection"/> items, the first in its order, and
/// <see cref="Total"/> when there were more (null: <see cref="Items"/> is all of them, as in digests stored before the cap).
/// </summary>
public sealed record DigestSection(DigestSectionKind Kind, string Title, IReadOnlyList<DigestItem> Items, int? Total = null)
{
    public int TotalCount => Total ?? Items.Count;

    /// <summary>The section with its first <paramref name="max"/> items, and their number when there are more.</summary>
    public static DigestSection Capped(DigestSectionKind kind, string title, IReadOnlyList<DigestItem> items, int max) =>
        items.Count <= max ? new DigestSection(kind, title, items) : new DigestSection(kind, title, items.Take(max).ToList(), items.Count);
}

/// <summary>
/// A digest as stored: one per subscription and period (its id is derived from both), with its
/// Markdown, its HTML (the Markdown rendered and sanitised) and its sections.
/// </summary>
public sealed record Digest(
    Guid Id, Guid SubscriptionId, string SubscriptionName, DigestPeriod Period, DateOnly From, DateOnly To, Confidentiality Audience,
    DateTimeOffset GeneratedAt, string Markdown, string Html, IReadOnlyList<DigestSection> Sections)
{
    /// <summary>The keyset position in lists (newest first).</summary>
    public long OrderKey { get; init; }
}

public enum DeliveryChannel { Email, Webhook }

public enum DeliveryStatus { Pending, Delivered, FailedRetrying, Failed }

/// <summary>One digest to one target (an e-mail recipient, a webhook URL): the outbox row the DIGEST_DELIVERY job works through.</summary>
public sealed record DigestDelivery(
    Guid Id, Guid DigestId, Guid SubscriptionId, DeliveryChannel Channel, string Target, DeliveryStatus Status, int Attempts, string? LastError,
    DateTimeOffset? NextAttemptAt, DateTimeOffset? DeliveredAt, DateTimeOffset CreatedAt);

/// <summary>A store of records kept per clearance level, listed newest first by their order key (digests, reports).</summary>
internal interface IPagedByClearance<T>
{
    Task<IReadOnlyList<T>> PageAsync(Confidentiality[] levels, long? afterKey, int take, CancellationToken ct);

    Task<int> CountAsync(Confidentiality[] levels, CancellationToken ct);
}
