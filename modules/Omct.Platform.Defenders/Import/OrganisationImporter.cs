using Microsoft.Extensions.DependencyInjection;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Import;
using Omct.Platform.Defenders.Contracts;
using Omct.Platform.Defenders.Domain;
using Omct.Platform.Defenders.Handling;

namespace Omct.Platform.Defenders.Import;

/// <summary>
/// ORGANISATION rows: <c>registerOrganisation</c>, and <c>updateOrganisation</c> (name, country, level) for a row
/// changed since its last import. Checked with the decider the mutation uses; STAFF unless the row says otherwise.
/// </summary>
internal sealed class OrganisationImporter : IRecordImporter
{
    public string Kind => "ORGANISATION";

    public string RecordType => DefenderIds.Organisation;

    public IReadOnlyList<ImportField> Fields { get; } =
    [
        new("name", "The organisation's name.", Required: true),
        new("countryCode", "ISO 3166-1 alpha-2 (CM).", Required: true),
        new("networkMember", "A member of the SOS-Torture Network: true or false (when registered)."),
        new("memberSince", "Member since (YYYY-MM-DD)."),
        new("confidentiality", "PUBLIC, NETWORK, STAFF (default) or RESTRICTED, up to your clearance."),
    ];

    public IReadOnlyDictionary<string, IReadOnlyList<ImportField>> Parts { get; } = new Dictionary<string, IReadOnlyList<ImportField>>();

    public Task<ImportCheck> CheckAsync(ImportRow row, Guid? existing, IServiceProvider services, CancellationToken cancellationToken)
    {
        var caller = services.GetRequiredService<ICallerContext>().Current;
        var values = new ImportValues(row, caller);
        var command = new RegisterOrganisation(values.Text("name"), values.Text("countryCode"), values.Bool("networkMember") ?? false, values.Date("memberSince"),
            values.Enum<Confidentiality>("confidentiality") ?? Confidentiality.Staff);
        values.Guard(() => DefenderDecider.RegisterOrganisation(Guid.Empty, command, caller.Clearance));
        return Task.FromResult(values.Problems.Count > 0 ? ImportCheck.Refused(values.Problems) : ImportCheck.Of(command));
    }

    public async Task<ImportApplied> ApplyAsync(object command, Guid? existing, string operationKey, IServiceProvider services, CancellationToken cancellationToken)
    {
        var register = (RegisterOrganisation)command;
        var commands = services.GetRequiredService<DefenderCommands>();
        if (existing is { } id)
        {
            await commands.UpdateOrganisationAsync(id, null, register.Name, register.CountryCode, register.Confidentiality, operationKey, cancellationToken);
            return new ImportApplied(id);
        }

        return new ImportApplied((await commands.RegisterOrganisationAsync(register, operationKey, cancellationToken)).Id);
    }
}
