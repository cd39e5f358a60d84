namespace Omct.Platform.BuildingBlocks.Idempotency;

/// <summary>
/// Records that a caller's mutation with a <c>clientMutationId</c> was carried out, in the same
/// transaction as its events, so that a repeat writes nothing and returns the first result.
/// The id is unique: two concurrent repeats cannot both commit.
/// </summary>
public sealed class MutationReceipt
{
    /// <summary><c>{operation}:{callerId}:{clientMutationId}</c>.</summary>
    public string Id { get; set; } = "";

    public Guid EntityId { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }

    public static string IdFor(string operation, string? callerId, string clientMutationId) =>
        $"{operation}:{callerId ?? "anonymous"}:{clientMutationId}";
}
