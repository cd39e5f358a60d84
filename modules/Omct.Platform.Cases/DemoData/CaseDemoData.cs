using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Modules;
using Omct.Platform.Cases.Contracts;
using Omct.Platform.Cases.Domain;
using Omct.Platform.Cases.Handling;
using Omct.Platform.Defenders.Contracts;

namespace Omct.Platform.Cases.DemoData;

/// <summary>
/// The urgent interventions of the seed page (Cameroon, Colombia, Belarus), opened through the
/// same handlers as the API. Every command carries a fixed clientMutationId, so seeding again —
/// on a restart or on a second host — writes nothing new.
/// </summary>
internal sealed class CaseDemoData(CaseCommands commands, IDefenderDirectory defenders, ICallerContext callers) : IDemoDataSeeder
{
    public int Order => 30;

    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        await CameroonAsync(cancellationToken);
        await ColombiaAsync(cancellationToken);
        await BelarusAsync(cancellationToken);
    }

    private async Task CameroonAsync(CancellationToken ct)
    {
        var c = await commands.OpenAsync(new OpenCase(
            "Cameroon: Arbitrary arrest of and judicial harassment against Mr. Nasako Besingi and four SEFE collaborators",
            "CM",
            "Mr. Nasako Besingi, Director of Struggle to Economize Future Environment (SEFE), and four SEFE collaborators were " +
            "arrested while preparing a meeting with communities opposed to a palm oil plantation, and face judicial harassment.",
            Confidentiality.Public, new DateOnly(2013, 3, 21)), "demo:cameroon:open", ct);
        c = await commands.AddVictimAsync(c.Id, null, await VictimAsync("Nasako Besingi", ct), "demo:cameroon:victim:besingi", ct);
        for (var i = 1; i <= 4; i++)
        {
            // The collaborators' names are known to the network, not published.
            c = await commands.AddVictimAsync(c.Id, null, new AddVictim(null, $"SEFE collaborator {i}", Confidentiality.Network),
                $"demo:cameroon:victim:sefe{i}", ct);
        }

        var everyone = c.Victims.Select(v => v.Id).ToList();
        c = await commands.RecordEventAsync(c.Id, null, new RecordCaseEvent(CaseEventType.Arrest, "2013-03-18", everyone,
            "Arrested by gendarmes in Mundemba while preparing a community meeting.", PerpetratorType.StateSecurityForces,
            "SEFE", Confidentiality.Public), "demo:cameroon:arrest", ct);
        c = await commands.RecordEventAsync(c.Id, null, new RecordCaseEvent(CaseEventType.Release, "2013-03-19", everyone,
            "Released without charge the following day.", null, "SEFE", Confidentiality.Public), "demo:cameroon:release", ct);
        c = await commands.RecordEventAsync(c.Id, null, new RecordCaseEvent(CaseEventType.JudicialHarassment, "2013-03",
            [c.Victims[0].Id], "Summoned repeatedly; proceedings for \"unlawful assembly\" pending.", PerpetratorType.Judiciary,
            "SEFE", Confidentiality.Public), "demo:cameroon:harassment", ct);
        await commands.IssueInterventionAsync(c.Id, null, new IssueIntervention(InterventionType.UrgentAppeal, new DateOnly(2013, 3, 21),
            ["President of the Republic of Cameroon", "Minister of Justice of Cameroon"]), "demo:cameroon:appeal", ct);
    }

    private async Task ColombiaAsync(CancellationToken ct)
    {
        var c = await commands.OpenAsync(new OpenCase(
            "Colombia: Intimidation and harassment of several CIJP members",
            "CO",
            "Members of the Inter-Church Commission for Justice and Peace (CIJP) were followed, photographed and threatened " +
            "while accompanying communities in the Curvaradó and Jiguamiandó river basins.",
            Confidentiality.Public, new DateOnly(2013, 2, 26)), "demo:colombia:open", ct);
        // The CIJP members, each a person: the registered accompanier (named to the public only under her
        // pseudonym, for want of consent) and two members whose names the network knows but does not publish.
        c = await commands.AddVictimAsync(c.Id, null, await VictimAsync("María Eugenia Díaz", ct), "demo:colombia:victim:diaz", ct);
        c = await commands.AddVictimAsync(c.Id, null, new AddVictim(null, "Jorge Luis Cárdenas", Confidentiality.Network),
            "demo:colombia:victim:cardenas", ct);
        c = await commands.AddVictimAsync(c.Id, null, new AddVictim(null, "Luz Marina Ospina", Confidentiality.Network),
            "demo:colombia:victim:ospina", ct);
        var members = c.Victims.Select(v => v.Id).ToList();
        c = await commands.RecordEventAsync(c.Id, null, new RecordCaseEvent(CaseEventType.Intimidation, "2013-02-21",
            members, "Followed and photographed by unidentified men.", PerpetratorType.NonStateActor, "CIJP", Confidentiality.Public),
            "demo:colombia:intimidation", ct);
        c = await commands.RecordEventAsync(c.Id, null, new RecordCaseEvent(CaseEventType.Threat, "2013-02",
            members[1..], "Death threats received by telephone.", PerpetratorType.Unknown, "CIJP", Confidentiality.Network),
            "demo:colombia:threat", ct);
        c = await commands.IssueInterventionAsync(c.Id, null, new IssueIntervention(InterventionType.UrgentAppeal,
            new DateOnly(2013, 2, 26), ["President of the Republic of Colombia"]), "demo:colombia:appeal", ct);
        await commands.ChangeStatusAsync(c.Id, null, new ChangeCaseStatus(CaseStatus.Monitoring), "demo:colombia:monitoring", ct);
    }

    private async Task BelarusAsync(CancellationToken ct)
    {
        var c = await commands.OpenAsync(new OpenCase(
            "Belarus: Sentencing of Mr. Ales Bialiatski, President of the Human Rights Centre \"Viasna\"",
            "BY",
            "Mr. Ales Bialiatski, President of the Human Rights Centre \"Viasna\" and Vice-President of FIDH, was arrested and " +
            "convicted of \"tax evasion\" for funds received to support Viasna's human rights work.",
            Confidentiality.Public, new DateOnly(2011, 8, 5)), "demo:belarus:open", ct);
        c = await commands.AddVictimAsync(c.Id, null, await VictimAsync("Ales Bialiatski", ct), "demo:belarus:victim:bialiatski", ct);
        var ales = c.Victims[0].Id;
        c = await commands.RecordEventAsync(c.Id, null, new RecordCaseEvent(CaseEventType.Arrest, "2011-08-04", [ales],
            "Arrested in Minsk.", PerpetratorType.StateSecurityForces, "Viasna", Confidentiality.Public), "demo:belarus:arrest", ct);
        c = await commands.RecordEventAsync(c.Id, null, new RecordCaseEvent(CaseEventType.Conviction, "2011-11-24", [ales],
            "Convicted of \"concealment of income on a large scale\".", PerpetratorType.Judiciary, "Viasna", Confidentiality.Public),
            "demo:belarus:conviction", ct);
        c = await commands.RecordEventAsync(c.Id, null, new RecordCaseEvent(CaseEventType.Sentencing, "2011-11-24", [ales],
            "Sentenced to four and a half years in a high-security penal colony and confiscation of property.",
            PerpetratorType.Judiciary, "Viasna", Confidentiality.Public), "demo:belarus:sentencing", ct);
        c = await commands.RecordEventAsync(c.Id, null, new RecordCaseEvent(CaseEventType.IllTreatment, "2012-10",
            [ales], "Detention conditions reported by a family visit; source to be protected.", PerpetratorType.StateSecurityForces,
            "Family (protected)", Confidentiality.Restricted), "demo:belarus:conditions", ct);
        c = await commands.IssueInterventionAsync(c.Id, null, new IssueIntervention(InterventionType.UrgentAppeal,
            new DateOnly(2011, 8, 5), ["President of the Republic of Belarus", "Prosecutor General of Belarus"]), "demo:belarus:appeal", ct);
        c = await commands.IssueInterventionAsync(c.Id, null, new IssueIntervention(InterventionType.FollowUp,
            new DateOnly(2011, 11, 24), ["President of the Republic of Belarus"]), "demo:belarus:followup1", ct);
        await commands.IssueInterventionAsync(c.Id, null, new IssueIntervention(InterventionType.FollowUp,
            new DateOnly(2012, 11, 23), ["President of the Republic of Belarus"]), "demo:belarus:followup2", ct);
    }

    /// <summary>The registered defender of that name when the defenders module has one, else a person named on the case.</summary>
    private async Task<AddVictim> VictimAsync(string name, CancellationToken ct) =>
        await defenders.FindByNameAsync(name, callers.Current, ct) is { } id
            ? new AddVictim(id, null, Confidentiality.Public)
            : new AddVictim(null, name, Confidentiality.Public);
}
