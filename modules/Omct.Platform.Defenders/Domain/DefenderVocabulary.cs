namespace Omct.Platform.Defenders.Domain;

public enum Gender { Female, Male, NonBinary, Other, Undisclosed }

/// <summary>A defender's current situation, derived from the cases' published events.</summary>
public enum Situation { AtLiberty, Detained, InHiding, Disappeared, Killed, Unknown }

public enum RiskLevel { Low, Medium, High, Critical }
