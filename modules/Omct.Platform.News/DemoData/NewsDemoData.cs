using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Modules;
using Omct.Platform.Cases.Contracts;
using Omct.Platform.Defenders.Contracts;
using Omct.Platform.News.Domain;
using Omct.Platform.News.Handling;
using Omct.Platform.Submissions.Contracts;

namespace Omct.Platform.News.DemoData;

/// <summary>Every news item of the seed page, with its kind, countries and links to the demo cases, defenders and submissions.</summary>
internal sealed class NewsDemoData(
    ArticleCommands commands, ICaseDirectory cases, IDefenderDirectory defenders, ISubmissionDirectory submissions, ICallerContext callers) : IDemoDataSeeder
{
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
        var colombiaUpr = await submissions.FindByTitleAsync("Colombia: 2nd Universal Periodic Review (UPR): Joint report", callers.Current, ct) is { } upr
            ? new List<Guid> { upr }
            : [];

        await Article("call-for-input-whrd-africa", ArticleKind.CallForInput, "Call for input on challenges & needs faced by women human rights defenders in Africa",
            "The OMCT asks its network about the challenges and needs of women human rights defenders in Africa.", [], ["women human rights defenders"], [], [], ct);
        await Article("zimbabwe-ffm", ArticleKind.Report, "Zimbabwe: Ongoing risks for human rights defenders in the context of political deadlock and pre-electoral period",
            "The Observatory for the Protection of Human Rights Defenders has published today its fact-finding mission report. While Zimbabwe prepares a " +
            "referendum for a new Constitution and with elections approaching, our organisations fear that human rights defenders will once again fall " +
            "victim to a rise in violence and a crackdown on civil society.", ["ZW"], ["fact-finding mission", "elections"], [], [], ct);
        await Article("philippines-ffm", ArticleKind.Report, "Philippines: Alarm over attacks on human rights defenders in a climate of pervasive impunity",
            "An international fact-finding mission of the Observatory for the Protection of Human Rights Defenders presents its preliminary conclusions " +
            "following the investigation it carried out last week in the Philippines.", ["PH"], ["fact-finding mission", "impunity"], [], [], ct);
        await Article("belarus-bialiatski-anniversary", ArticleKind.PressRelease,
            "Belarus: With the one year anniversary of the conviction of Ales Bialiatski, Human Rights Centre \"Viasna\" faces relentless harassment",
            "One year after the conviction of Ales Bialiatski on 24 November 2011, Viasna's members continue to face harassment.", ["BY"], ["judicial harassment"],
            belarus, bialiatski, ct);
        await Article("togo-negative-obligation", ArticleKind.Statement, "Togo: Not to torture is a negative obligation",
            "A statement on Togo's obligations under the Convention against Torture.", ["TG"], ["torture"], [], [], ct);
        await Article("mexico-cat", ArticleKind.Statement, "Mexico: The UN Committee Against Torture condemns the practice of torture in Mexico",
            "The Committee against Torture's concluding observations on Mexico.", ["MX"], ["committee against torture"], [], [], ct);
        await Article("colombia-upr-joint-report", ArticleKind.JointReport, "Colombia: 2nd Universal Periodic Review (UPR): Joint report",
            "A coalition of NGOs, including OMCT, has submitted a report on Colombia for its Universal Periodic Review that will take place during the 16th " +
            "session of the UPR Working Group, in May/June 2013.", ["CO"], ["universal periodic review"], [], [], colombiaUpr, ct);
        await Article("edeliza-hernandez-portrait", ArticleKind.Portrait, "Edeliza P. Hernandez: Ten Portraits against Torture and Impunity",
            "A portrait of Edeliza P. Hernandez, who works with torture survivors in the Philippines.", ["PH"], ["ten portraits"], [], hernandez, ct);
        await Article("igor-kalyapin-portrait", ArticleKind.Portrait, "Igor Kalyapin: Ten Portraits against Torture and Impunity",
            "A portrait of Igor Kalyapin, founder of the Committee Against Torture in Nizhny Novgorod.", ["RU"], ["ten portraits"], [], kalyapin, ct);
        await Article("colombia-cijp-intimidation", ArticleKind.UrgentIntervention, "Colombia: Intimidation and harassment of several CIJP members",
            "The Observatory has been informed about acts of intimidation and harassment against members of the CIJP.", ["CO"], ["intimidation"], colombia, [], ct);
        await Article("cameroon-nasako-besingi", ArticleKind.UrgentIntervention,
            "Cameroon: Arbitrary arrest of and judicial harassment against Mr. Nasako Besingi and four SEFE collaborators",
            "The Observatory has been informed about the arbitrary arrest of Mr. Nasako Besingi, Director of SEFE, and four SEFE collaborators.", ["CM"],
            ["arbitrary arrest", "judicial harassment"], cameroon, besingi, ct);
    }

    private Task Article(string slug, ArticleKind kind, string title, string teaser, IReadOnlyList<string> countries, IReadOnlyList<string> themes,
        IReadOnlyList<Guid> caseIds, IReadOnlyList<Guid> defenderIds, CancellationToken ct) =>
        Article(slug, kind, title, teaser, countries, themes, caseIds, defenderIds, [], ct);

    private async Task Article(string slug, ArticleKind kind, string title, string teaser, IReadOnlyList<string> countries, IReadOnlyList<string> themes,
        IReadOnlyList<Guid> caseIds, IReadOnlyList<Guid> defenderIds, IReadOnlyList<Guid> submissionIds, CancellationToken ct)
    {
        var article = await commands.DraftAsync(new DraftArticle(kind, new TranslationInput(Language.En, title, teaser, $"{teaser}\n\n*OMCT, Geneva.*", slug),
            BuildingBlocks.Callers.Confidentiality.Public, countries, themes, caseIds, defenderIds, submissionIds), $"demo:article:{slug}", ct);
        if (article.Status == ArticleStatus.Draft)
        {
            await commands.PublishAsync(article.Id, null, null, $"demo:publish:{slug}", ct);
        }
    }

    private async Task<List<Guid>> CaseAsync(string reference, CancellationToken ct) =>
        await cases.FindByReferenceAsync(reference, callers.Current, ct) is { } id ? [id] : [];

    private async Task<List<Guid>> DefenderAsync(string name, CancellationToken ct) =>
        await defenders.FindByNameAsync(name, callers.Current, ct) is { } id ? [id] : [];
}
