using Microsoft.Extensions.DependencyInjection;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Import;
using Omct.Platform.BuildingBlocks.Privacy;
using Omct.Platform.Defenders.Contracts;
using Omct.Platform.Defenders.Domain;
using Omct.Platform.Defenders.Handling;
using Omct.Platform.Defenders.Profiles;

namespace Omct.Platform.Defenders.Import;

/// <summary>
/// DEFENDER rows: <c>registerDefender</c>, and <c>updateDefender</c> (name, pseudonym, country, gender, level,
/// thematic areas) for a row changed since its last import — contact and location are given at registration only
/// (setConfidentialDetails changes them). Checked with the decider the mutation uses, contact and location only
/// from the clearance the API asks for them; STAFF unless the row says otherwise.
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
    ];

    public IReadOnlyDictionary<string, IReadOnlyList<ImportField>> Parts { get; } = new Dictionary<string, IReadOnlyList<ImportField>>();

    public Task<ImportCheck> CheckAsync(ImportRow row, Guid? existing, IServiceProvider services, CancellationToken cancellationToken)
    {
        var caller = services.GetRequiredService<ICallerContext>().Current;
        var time = services.GetRequiredService<TimeProvider>();
        var values = new ImportValues(row, caller);
        var command = new RegisterDefender(values.Text("name"), values.Text("pseudonym"), values.Text("countryCode"), values.Enum<Gender>("gender"),
            values.Bool("consentToPublishName") ?? false, values.Enum<Confidentiality>("confidentiality") ?? Confidentiality.Staff, values.List("thematicAreas"),
            values.RestrictedText("contact", DefenderFieldRules.ConfidentialDetails), values.RestrictedText("location", DefenderFieldRules.ConfidentialDetails));
        // The decider the mutation calls, with a throw-away key: nothing is stored.
        values.Guard(() => DefenderDecider.Register(Guid.Empty, command, PersonalData.NewKey(Guid.Empty, time.GetUtcNow()), caller.Clearance));
        return Task.FromResult(values.Problems.Count > 0 ? ImportCheck.Refused(values.Problems) : ImportCheck.Of(command));
    }

    public async Task<ImportApplied> ApplyAsync(object command, Guid? existing, string operationKey, IServiceProvider services, CancellationToken cancellationToken)
    {
        var register = (RegisterDefender)command;
        var commands = services.GetRequiredService<DefenderCommands>();
        if (existing is { } id)
        {
            await commands.UpdateAsync(id, null,
                new UpdateDefender(register.Name, register.Pseudonym, register.CountryCode, register.Gender, register.Confidentiality, register.ThematicAreas),
                operationKey, cancellationToken);
            return new ImportApplied(id);
        }

        return new ImportApplied((await commands.RegisterAsync(register, operationKey, cancellationToken)).Id);
    }
}
