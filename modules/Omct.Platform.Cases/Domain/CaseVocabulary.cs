namespace Omct.Platform.Cases.Domain;

public enum CaseStatus { Open, Monitoring, Closed }

/// <summary>HURIDOCS "types of acts", simplified.</summary>
public enum CaseEventType
{
    Arrest, Detention, Charge, Trial, Conviction, Sentencing, Acquittal, Release, ProvisionalRelease,
    Disappearance, Killing, Torture, IllTreatment, JudicialHarassment, Threat, Intimidation, Surveillance,
    Raid, TravelBan, Other,
}

public enum PerpetratorType { StateSecurityForces, Judiciary, Police, Army, NonStateActor, Unknown }

public enum InterventionType { UrgentAppeal, FollowUp, Closing }
