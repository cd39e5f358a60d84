namespace Omct.Platform.Cases.Contracts;

public enum InterventionType { UrgentAppeal, FollowUp, Closing }

/// <summary>
/// An intervention issued on a case (in the case's stream: the stream id is the case's id). A contract event: the teamwork
/// module makes the follow-up task of an urgent appeal from it.
/// </summary>
public sealed record InterventionIssued(
    Guid InterventionId, InterventionType Type, int Number, string Reference, DateOnly IssuedOn, IReadOnlyList<string> Addressees);
