namespace Omct.Platform.Defenders.Contracts;

/// <summary>
/// Published in the defender's stream, in the erasure's own transaction, when the person's personal
/// data is erased. It carries nothing personal, only who and when: consumers that keep copies of
/// what the defenders module gave them (the digests module keeps rendered display names in stored
/// digests) remove those copies when they see it, inline, so no read after the erasure shows them.
/// </summary>
public sealed record DefenderPersonalDataErased(Guid DefenderId, DateTimeOffset ErasedAt);
