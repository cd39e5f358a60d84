namespace Omct.Platform.Defenders.Contracts;

/// <summary>
/// Published in the defender's stream, next to the consent it comes from, whenever whether a
/// portrait of the defender may be published changes: consent to a portrait recorded
/// (<see cref="Given"/> true), withdrawn, or gone with the person's erased personal data (false).
/// Consumers (the news module) keep the latest value per defender; a portrait is public only while
/// it is true for each defender it shows.
/// </summary>
public sealed record DefenderPortraitConsentChanged(Guid DefenderId, bool Given);
