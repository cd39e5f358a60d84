using Marten;
using Microsoft.Extensions.DependencyInjection;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Import;
using Omct.Platform.BuildingBlocks.Privacy;
using Omct.Platform.Defenders.Contracts;
using Omct.Platform.Defenders.Domain;
using Omct.Platform.Defenders.Handling;
using Omct.Platform.Defenders.Organisations;
using Omct.Platform.Defenders.Profiles;

namespace Omct.Platform.Defenders.Import;

/// <summary>
/// DEFENDER rows: <c>registerDefender</c> (with its affiliations, the organisations named by their names), then
/// <c>setRiskLevel</c> and <c>setConfidentialDetails</c> when the row gives a risk level, family or risk notes; and
/// <c>updateDefender</c> (name, pseudonym, country, gender, level, thematic areas) for a row changed since its last
/// import — affiliations, risk level and the confidential details are given at registration only (their mutations
/// change them). Checked with the decider the mutation uses, the risk level and the confidential details only from the
/// clearance the API asks for them; STAFF unless the row says otherwise. The columns of <c>/export/defenders</c> have
/// these fields' names: the platform's own export imports back with a mapping of each column to itself.
/// </summary>
internal sealed class DefenderImporter : IRecordImporter
{
    public string Kind => "DEFENDER";

    public string RecordType => DefenderIds.Defender;

    public IReadOnlyList<ImportField> Fields { get; } =
    [
        new("name", "The person's name (personal data: stored encrypted).", Required: true),
        new("pseudonym", "Shown instead of the name to those who may not see it."),
        new("countryCode", "ISO 3166-1 alpha-2 (CM).", Required: true),
        new("gender", "FEMALE, MALE, NON_BINARY, OTHER or UNDISCLOSED."),
        new("consentToPublishName", "true or false (default false)."),
        new("confidentiality", "PUBLIC, NETWORK, STAFF (default) or RESTRICTED, up to your clearance."),
        new("thematicAreas", "Separated by ;."),
        new("contact", "RESTRICTED: only with RESTRICTED clearance (at registration)."),
        new("location", "RESTRICTED: only with RESTRICTED clearance (at registration)."),
        new("family", "RESTRICTED: only with RESTRICTED clearance (at registration)."),
        new("riskNotes", "RESTRICTED: only with RESTRICTED clearance (at registration)."),
        new("riskLevel", "LOW, MEDIUM, HIGH or CRITICAL: from STAFF clearance (at registration)."),
        new("organisations", "The organisations the person is affiliated with, by their names, separated by ; (at registration)."),
    ];

    /// <summary>What a new row registers, and what is set right after (the mutations that set them: setRiskLevel, setConfidentialDetails).</summary>
    internal sealed record DefenderPlan(RegisterDefender Register, RiskLevel? RiskLevel, string? Family, string? RiskNotes);

    public IReadOnlyDictionary<string, IReadOnlyList<ImportField>> Parts { get; } = new Dictionary<string, IReadOnlyList<ImportField>>();

    public async Task<ImportCheck> CheckAsync(ImportRow row, Guid? existing, IServiceProvider services, CancellationToken cancellationToken)
    {
        var caller = services.GetRequiredService<ICallerContext>().Current;
        var values = new ImportValues(row, caller);
        var organisationIds = await OrganisationIdsAsync(values, services.GetRequiredService<IQuerySession>(), caller, cancellationToken);
        var command = new RegisterDefender(values.Text("name"), values.Text("pseudonym"), values.Text("countryCode"), values.Enum<Gender>("gender"),
            values.Bool("consentToPublishName") ?? false, values.Enum<Confidentiality>("confidentiality") ?? Confidentiality.Staff, values.List("thematicAreas"),
            values.RestrictedText("contact", DefenderFieldRules.ConfidentialDetails), values.RestrictedText("location", DefenderFieldRules.ConfidentialDetails),
            organisationIds);
        var plan = new DefenderPlan(command, values.Enum<RiskLevel>("riskLevel"),
            values.RestrictedText("family", DefenderFieldRules.ConfidentialDetails), values.RestrictedText("riskNotes", DefenderFieldRules.ConfidentialDetails));
        if (plan.RiskLevel is not null)
        {
            values.Guard(() => WriteClearance.EnsureMayWrite(caller.Clearance, DefenderFieldRules.RiskLevel, "riskLevel"));
        }

        // The decider the mutation calls, with a throw-away key: nothing is stored.
        values.Guard(() => DefenderDecider.Register(Guid.Empty, command, DataKey.New(Guid.Empty), caller.Clearance));
        return values.Problems.Count > 0 ? ImportCheck.Refused(values.Problems) : ImportCheck.Of(plan);
    }

    public async Task<ImportApplied> ApplyAsync(object command, Guid? existing, string operationKey, IServiceProvider services, CancellationToken cancellationToken)
    {
        var (register, riskLevel, family, riskNotes) = (DefenderPlan)command;
        var commands = services.GetRequiredService<DefenderCommands>();
        if (existing is { } id)
        {
            await commands.UpdateAsync(id, null,
                new UpdateDefender(register.Name, register.Pseudonym, register.CountryCode, register.Gender, register.Confidentiality, register.ThematicAreas),
                operationKey, cancellationToken);
            return new ImportApplied(id);
        }

        // Each write its own clientMutationId: a row interrupted half-way goes on where it stopped.
        var registered = await commands.RegisterAsync(register, operationKey, cancellationToken);
        if (riskLevel is { } level)
        {
            await commands.SetRiskLevelAsync(registered.Id, null, level, operationKey + ":risk", cancellationToken);
        }

        if (family is not null || riskNotes is not null)
        {
            await commands.SetDetailsAsync(registered.Id, null, new SetConfidentialDetails(register.Contact, register.Location, family, riskNotes),
                operationKey + ":details", cancellationToken);
        }

        return new ImportApplied(registered.Id);
    }

    /// <summary>
    /// The organisations named in <c>organisations</c>, among those the caller may see (as <c>affiliateDefender</c> finds
    /// them): a name no visible organisation has, or more than one has, is the row's VALIDATION error.
    /// </summary>
    private static async Task<IReadOnlyList<Guid>> OrganisationIdsAsync(ImportValues values, IQuerySession session, Caller caller, CancellationToken cancellationToken)
    {
        var names = values.List("organisations").Distinct(StringComparer.Ordinal).ToArray();
        if (names.Length == 0)
        {
            return [];
        }

        var levels = caller.VisibleLevels();
        var found = await session.Query<Organisation>().Where(o => names.Contains(o.Name) && levels.Contains(o.Confidentiality))
            .Select(o => new { o.Id, o.Name }).ToListAsync(cancellationToken);
        var ids = new List<Guid>();
        foreach (var name in names)
        {
            var matches = found.Where(o => o.Name == name).ToList();
            if (matches.Count == 1)
            {
                ids.Add(matches[0].Id);
            }
            else
            {
                values.Problems.Add(new ImportProblem(values.Field("organisations"),
                    matches.Count == 0 ? $"No such organisation: {name}." : $"More than one organisation is named {name}."));
            }
        }

        return ids;
    }
}
