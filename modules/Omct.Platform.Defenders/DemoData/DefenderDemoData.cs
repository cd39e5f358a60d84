using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Modules;
using Omct.Platform.Defenders.Domain;
using Omct.Platform.Defenders.Handling;

namespace Omct.Platform.Defenders.DemoData;

/// <summary>
/// The defenders and organisations of the seed page, registered through the module's handlers
/// before the cases that name them (fixed clientMutationIds: seeding again writes nothing).
/// </summary>
internal sealed class DefenderDemoData(DefenderCommands commands) : IDemoDataSeeder
{
    public int Order => 20;

    public async Task SeedAsync(CancellationToken ct)
    {
        var viasna = await Organisation("Human Rights Centre \"Viasna\"", "BY", new DateOnly(2004, 1, 1), ct);
        var sefe = await Organisation("Struggle to Economize Future Environment (SEFE)", "CM", null, ct);
        var cijp = await Organisation("Comisión Intereclesial de Justicia y Paz (CIJP)", "CO", new DateOnly(2002, 1, 1), ct);
        var adc = await Organisation("Committee Against Torture (Nizhny Novgorod)", "RU", new DateOnly(2001, 1, 1), ct);
        var ptc = await Organisation("Philippine Alliance of Human Rights Advocates", "PH", new DateOnly(1998, 1, 1), ct);

        await Defender("Ales Bialiatski", null, "BY", Gender.Male, Confidentiality.Public, true, [viasna], ["human rights documentation"], ct);
        await Defender("Nasako Besingi", null, "CM", Gender.Male, Confidentiality.Public, true, [sefe], ["land rights", "environment"], ct);
        await Defender("Edeliza P. Hernandez", null, "PH", Gender.Female, Confidentiality.Public, true, [ptc], ["torture rehabilitation"], ct);
        await Defender("Igor Kalyapin", null, "RU", Gender.Male, Confidentiality.Public, true, [adc], ["torture", "impunity"], ct);
        // A member of CIJP who has not consented to publication: shown to the public only under a pseudonym.
        await Defender("María Eugenia Díaz", "CIJP accompanier", "CO", Gender.Female, Confidentiality.Public, false, [cijp], ["land restitution"], ct);
    }

    private async Task<Guid> Organisation(string name, string country, DateOnly? memberSince, CancellationToken ct) =>
        (await commands.RegisterOrganisationAsync(new RegisterOrganisation(name, country, memberSince is not null, memberSince, Confidentiality.Public),
            $"demo:organisation:{name}", ct)).Id;

    private async Task Defender(string name, string? pseudonym, string country, Gender gender, Confidentiality level, bool consent,
        IReadOnlyList<Guid> organisations, IReadOnlyList<string> areas, CancellationToken ct)
    {
        var d = await commands.RegisterAsync(new RegisterDefender(name, pseudonym, country, gender, consent, level, areas, null, null, organisations),
            $"demo:defender:{name}", ct);
        if (consent && !d.ConsentToPublishName)
        {
            return;
        }

        if (consent && d.ConsentGivenOn is null)
        {
            await commands.RecordConsentAsync(d.Id, null, new RecordConsent(true, true, new DateOnly(2012, 1, 1)), $"demo:consent:{name}", ct);
        }
    }
}
