using Omct.Platform.BuildingBlocks.Privacy;

namespace Omct.Platform.Defenders.Erasure;

/// <summary>
/// What a person's erasure changed outside their profile: the records whose free text named them and were redacted (a
/// case's title, an event's description, an article, a note, a stored digest), by record and field, never the name. Read
/// by admins (<c>Defender.erasureRedactions</c>) to check the rest by hand: a first name or a surname alone is not looked
/// for. Written in the erasure's transaction; an erasure applied again (a restored backup) writes it again.
/// </summary>
public sealed class ErasureRedactions
{
    public Guid Id { get; set; }
    public DateTimeOffset ErasedAt { get; set; }
    public List<RedactedRecord> Records { get; set; } = [];
}
