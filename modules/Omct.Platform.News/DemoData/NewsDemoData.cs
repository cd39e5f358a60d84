using Microsoft.Extensions.DependencyInjection;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Modules;
using Omct.Platform.Cases.Contracts;
using Omct.Platform.Defenders.Contracts;
using Omct.Platform.News.Domain;
using Omct.Platform.News.Handling;
using Omct.Platform.Submissions.Contracts;

namespace Omct.Platform.News.DemoData;

/// <summary>
/// Every news item of the seed page, with its kind, countries, links to the demo cases, defenders and
/// submissions, French and Spanish translations of some, and the date it was published on the page:
/// each is published through <see cref="ArticleCommands"/> on a clock set to that moment, so
/// <c>publishedAt</c> is the item's date, not the seeding moment (the seed page gives the order and the
/// events; the days are those of the events it reports). Every article is <c>PUBLIC</c> explicitly.
/// </summary>
internal sealed class NewsDemoData(
    IServiceProvider services, ICaseDirectory cases, IDefenderDirectory defenders, ISubmissionDirectory submissions, ICallerContext callers) : IDemoDataSeeder
{
    public const string ZimbabweSlug = "zimbabwe-ongoing-risks-for-human-rights-defenders";

    public int Order => 40;

    public async Task SeedAsync(CancellationToken ct)
    {
        var belarus = await CaseAsync("BLR 001 / 0811 / OBS 001", ct);
        var colombia = await CaseAsync("COL 001 / 0213 / OBS 002", ct);
        var cameroon = await CaseAsync("CMR 001 / 0313 / OBS 001", ct);
        var bialiatski = await DefenderAsync("Ales Bialiatski", ct);
        var besingi = await DefenderAsync("Nasako Besingi", ct);
        var hernandez = await DefenderAsync("Edeliza P. Hernandez", ct);
        var kalyapin = await DefenderAsync("Igor Kalyapin", ct);
        var accompanier = await DefenderAsync("María Eugenia Díaz", ct);
        var colombiaUpr = await SubmissionAsync("Colombia: 2nd Universal Periodic Review (UPR): Joint report", ct);
        var mexicoCat = await SubmissionAsync("Mexico: Alternative report to the Committee against Torture", ct);

        await Article(new("call-for-input-whrd-africa", ArticleKind.CallForInput, At(2013, 3, 8),
            "Call for input on challenges & needs faced by women human rights defenders in Africa",
            "The OMCT asks its network about the challenges and needs of women human rights defenders in Africa.",
            "The OMCT asks the member organisations of the SOS-Torture Network in Africa about the challenges women human rights defenders " +
            "face in their countries and what they need.\n\nMembers answer the platform's call for input " +
            "*Call for input on challenges & needs faced by women human rights defenders in Africa* before its deadline.",
            [], ["women human rights defenders"]), ct);
        await Article(new("zimbabwe-ffm", ArticleKind.Report, At(2013, 3, 14),
            "Zimbabwe: Ongoing risks for human rights defenders in the context of political deadlock and pre-electoral period",
            "The Observatory for the Protection of Human Rights Defenders has published today its fact-finding mission report.",
            "The Observatory for the Protection of Human Rights Defenders has published today its fact-finding mission report " +
            "“Zimbabwe: Ongoing risks for human rights defenders in the context of political deadlock and pre-electoral period”. " +
            "While Zimbabwe prepares a referendum for a new Constitution and with elections approaching, our organisations fear that human " +
            "rights defenders will once again fall victim to a rise in violence and a crackdown on civil society, due, in particular, to the " +
            "collusion between security forces and the Zanu-PF. This report analyses multiple forms of harassment facing human rights " +
            "defenders as they try to carry out their work.",
            ["ZW"], ["fact-finding mission", "elections"], Slug: ZimbabweSlug,
            Translations:
            [
                new(Language.Fr, "Zimbabwe : risques persistants pour les défenseurs des droits humains dans un contexte de blocage politique et de période préélectorale",
                    "L'Observatoire pour la protection des défenseurs des droits humains publie aujourd'hui son rapport de mission d'enquête.",
                    "L'Observatoire pour la protection des défenseurs des droits humains publie aujourd'hui le rapport de sa mission d'enquête. " +
                    "Alors que le Zimbabwe prépare un référendum sur une nouvelle Constitution et que les élections approchent, nos organisations " +
                    "craignent que les défenseurs des droits humains soient à nouveau victimes de violences et d'une répression de la société civile.",
                    ZimbabweSlug),
                new(Language.Es, "Zimbabue: riesgos persistentes para los defensores de derechos humanos en un contexto de bloqueo político y periodo preelectoral",
                    "El Observatorio para la Protección de los Defensores de Derechos Humanos publica hoy el informe de su misión de investigación.",
                    "El Observatorio para la Protección de los Defensores de Derechos Humanos publica hoy el informe de su misión de investigación. " +
                    "Mientras Zimbabue prepara un referéndum sobre una nueva Constitución y se acercan las elecciones, nuestras organizaciones temen " +
                    "que los defensores de derechos humanos vuelvan a ser víctimas de la violencia y de la represión contra la sociedad civil.",
                    ZimbabweSlug),
            ]), ct);
        await Article(new("philippines-ffm", ArticleKind.Report, At(2013, 2, 25),
            "Philippines: Alarm over attacks on human rights defenders in a climate of pervasive impunity - Preliminary findings of a fact-finding mission on the conditions and vulnerabilities of HRD",
            "An international fact-finding mission of the Observatory for the Protection of Human Rights Defenders presents its preliminary conclusions.",
            "An international fact-finding mission of the Observatory for the Protection of Human Rights Defenders presents its preliminary " +
            "conclusions following the investigation it carried out last week in the Philippines.",
            ["PH"], ["fact-finding mission", "impunity"], DefenderIds: hernandez,
            Translations:
            [
                new(Language.Es, "Filipinas: alarma ante los ataques contra defensores de derechos humanos en un clima de impunidad generalizada",
                    "Una misión internacional de investigación del Observatorio presenta sus conclusiones preliminares.",
                    "Una misión internacional de investigación del Observatorio para la Protección de los Defensores de Derechos Humanos presenta " +
                    "sus conclusiones preliminares tras la investigación realizada la semana pasada en Filipinas.", null),
            ]), ct);
        await Article(new("belarus-bialiatski-anniversary", ArticleKind.PressRelease, At(2012, 11, 24),
            "Belarus: With the one year anniversary of the conviction of Ales Bialiatski, Human Rights Centre \"Viasna\" faces relentless harassment",
            "One year after the conviction of Ales Bialiatski on 24 November 2011, Viasna's members continue to face harassment.",
            null, ["BY"], ["judicial harassment"], belarus, bialiatski), ct);
        await Article(new("togo-negative-obligation", ArticleKind.Statement, At(2012, 11, 14), "Togo: Not to torture is a negative obligation",
            "A statement on Togo's obligations under the Convention against Torture.", null, ["TG"], ["torture"],
            Translations:
            [
                new(Language.Fr, "Togo : ne pas torturer est une obligation négative",
                    "Une déclaration sur les obligations du Togo au titre de la Convention contre la torture.",
                    "Une déclaration sur les obligations du Togo au titre de la Convention contre la torture.\n\n*OMCT, Genève.*", null),
            ]), ct);
        await Article(new("mexico-cat", ArticleKind.Statement, At(2012, 11, 23),
            "Mexico: The UN Committee Against Torture condemns the practice of torture in Mexico",
            "The Committee against Torture's concluding observations on Mexico, after the review the OMCT's alternative report contributed to.",
            null, ["MX"], ["committee against torture"], SubmissionIds: mexicoCat,
            Translations:
            [
                new(Language.Es, "México: el Comité contra la Tortura de la ONU condena la práctica de la tortura en México",
                    "Las observaciones finales del Comité contra la Tortura sobre México.",
                    "Las observaciones finales del Comité contra la Tortura sobre México, tras el examen al que contribuyó el informe " +
                    "alternativo de la OMCT.\n\n*OMCT, Ginebra.*", null),
            ]), ct);
        await Article(new("colombia-upr-joint-report", ArticleKind.JointReport, At(2012, 11, 5), "Colombia: 2nd Universal Periodic Review (UPR): Joint report",
            "A coalition of NGOs, including OMCT, has submitted a report on Colombia for its Universal Periodic Review (UPR) that will take place during the 16th " +
            "session of the UPR Working Group, in May/ June 2013.", null, ["CO"], ["universal periodic review"], SubmissionIds: colombiaUpr), ct);
        await Article(new("edeliza-hernandez-portrait", ArticleKind.Portrait, At(2012, 6, 26), "Edeliza P. Hernandez: Ten Portraits against Torture and Impunity",
            "A portrait of Edeliza P. Hernandez, who works with torture survivors in the Philippines.", null, ["PH"], ["ten portraits"],
            DefenderIds: hernandez), ct);
        await Article(new("igor-kalyapin-portrait", ArticleKind.Portrait, At(2012, 6, 26, 9), "Igor Kalyapin: Ten Portraits against Torture and Impunity",
            "A portrait of Igor Kalyapin, founder of the Committee Against Torture in Nizhny Novgorod.", null, ["RU"], ["ten portraits"],
            DefenderIds: kalyapin), ct);
        await Article(new("colombia-cijp-intimidation", ArticleKind.UrgentIntervention, At(2013, 2, 26), "Colombia: Intimidation and harassment of several CIJP members",
            "The Observatory has been informed about acts of intimidation and harassment against members of the CIJP.", null, ["CO"], ["intimidation"],
            colombia, accompanier,
            Translations:
            [
                new(Language.Es, "Colombia: intimidación y hostigamiento contra varios miembros de la CIJP",
                    "El Observatorio ha sido informado de actos de intimidación y hostigamiento contra miembros de la CIJP.",
                    "El Observatorio ha sido informado de actos de intimidación y hostigamiento contra miembros de la Comisión Intereclesial " +
                    "de Justicia y Paz (CIJP).\n\n*OMCT, Ginebra.*", null),
            ]), ct);
        await Article(new("cameroon-nasako-besingi", ArticleKind.UrgentIntervention, At(2013, 3, 21),
            "Cameroon: Arbitrary arrest of and judicial harassment against Mr. Nasako Besingi and four SEFE collaborators",
            "The Observatory has been informed about the arbitrary arrest of Mr. Nasako Besingi, Director of SEFE, and four SEFE collaborators.", null, ["CM"],
            ["arbitrary arrest", "judicial harassment"], cameroon, besingi,
            Translations:
            [
                new(Language.Fr, "Cameroun : arrestation arbitraire et harcèlement judiciaire de M. Nasako Besingi et de quatre collaborateurs de SEFE",
                    "L'Observatoire a été informé de l'arrestation arbitraire de M. Nasako Besingi, directeur de SEFE, et de quatre collaborateurs.",
                    "L'Observatoire a été informé de l'arrestation arbitraire de M. Nasako Besingi, directeur de SEFE, et de quatre " +
                    "collaborateurs de SEFE.\n\n*OMCT, Genève.*", null),
            ]), ct);
    }

    /// <summary>09:00 in Geneva (08:00 UTC, winter time) on the day, or another hour.</summary>
    private static DateTimeOffset At(int year, int month, int day, int hourUtc = 8) => new(year, month, day, hourUtc, 0, 0, TimeSpan.Zero);

    private sealed record SeedArticle(
        string Key, ArticleKind Kind, DateTimeOffset PublishedAt, string Title, string Summary, string? Body, IReadOnlyList<string> Countries,
        IReadOnlyList<string> Themes, IReadOnlyList<Guid>? CaseIds = null, IReadOnlyList<Guid>? DefenderIds = null,
        IReadOnlyList<Guid>? SubmissionIds = null, string? Slug = null, IReadOnlyList<TranslationInput>? Translations = null);

    private async Task Article(SeedArticle a, CancellationToken ct)
    {
        // The module's own handler on a clock set to the item's moment: the same checks (portrait
        // consent, slugs, links), and ArticlePublished carries the item's date.
        var commands = ActivatorUtilities.CreateInstance<ArticleCommands>(services, (TimeProvider)new SeedClock(a.PublishedAt));
        var body = $"{a.Body ?? a.Summary}\n\n*OMCT, Geneva.*";
        var article = await commands.DraftAsync(new DraftArticle(a.Kind, new TranslationInput(Language.En, a.Title, a.Summary, body, a.Slug ?? a.Key),
                Confidentiality.Public, a.Countries, a.Themes, a.CaseIds ?? [], a.DefenderIds ?? [], a.SubmissionIds ?? []),
            $"demo:article:{a.Key}", ct);
        foreach (var translation in a.Translations ?? [])
        {
            if (article.Status == ArticleStatus.Draft)
            {
                article = await commands.SaveTranslationAsync(article.Id, null, translation,
                    $"demo:translation:{a.Key}:{translation.Language.ToString().ToLowerInvariant()}", ct);
            }
        }

        if (article.Status == ArticleStatus.Draft)
        {
            await commands.PublishAsync(article.Id, null, null, null, $"demo:publish:{a.Key}", ct);
        }
    }

    private async Task<List<Guid>> CaseAsync(string reference, CancellationToken ct) =>
        await cases.FindByReferenceAsync(reference, callers.Current, ct) is { } id ? [id] : [];

    private async Task<List<Guid>> DefenderAsync(string name, CancellationToken ct) =>
        await defenders.FindByNameAsync(name, callers.Current, ct) is { } id ? [id] : [];

    private async Task<List<Guid>> SubmissionAsync(string title, CancellationToken ct) =>
        await submissions.FindByTitleAsync(title, callers.Current, ct) is { } id ? [id] : [];

    /// <summary>A clock that stands at one moment.</summary>
    private sealed class SeedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
