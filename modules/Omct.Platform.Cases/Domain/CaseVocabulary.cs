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

// InterventionType is in Omct.Platform.Cases.Contracts (Interventions.cs): other modules follow InterventionIssued.
