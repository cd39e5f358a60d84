// A contract of the cases module kept in the namespace it always had, so that the module's own code reads it unchanged:
// other modules (the teamwork module's task templates) subscribe to InterventionIssued in the case streams.
namespace Omct.Platform.Cases.Domain;

public enum InterventionType { UrgentAppeal, FollowUp, Closing }

/// <summary>
/// An intervention issued on a case (in the case's stream: the stream id is the case's id). A contract event: the teamwork
/// module makes the follow-up task of an urgent appeal from it.
/// </summary>
public sealed record InterventionIssued(
    Guid InterventionId, InterventionType Type, int Number, string Reference, DateOnly IssuedOn, IReadOnlyList<string> Addressees);
