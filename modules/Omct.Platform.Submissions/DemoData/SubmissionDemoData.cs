using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Countries;
using Omct.Platform.BuildingBlocks.Modules;
using Omct.Platform.BuildingBlocks.Time;
using Omct.Platform.Defenders.Contracts;
using Omct.Platform.Submissions.Domain;
using Omct.Platform.Submissions.Handling;

namespace Omct.Platform.Submissions.DemoData;

/// <summary>
/// The seed page's advocacy: the Colombia UPR joint report (16th session, May–June 2013), the
/// Mexico CAT review, and the call for input on women human rights defenders in Africa. The seed
/// dates are long past, so their due dates are planned relative to today (a demo shows upcoming work).
/// </summary>
internal sealed class SubmissionDemoData(SubmissionCommands commands, IDefenderDirectory directory, TimeProvider time) : IDemoDataSeeder
{
    public int Order => 35;

    public async Task SeedAsync(CancellationToken ct)
    {
        var today = time.TodayUtc();
        var members = await directory.NetworkMembersAsync(["CO"], ct);
        Guid? cijp = members.Count > 0 ? members[0].Id : null;
        var colombia = await commands.PlanAsync(new PlanSubmission(Mechanism.Upr, "CO", "Colombia: 2nd Universal Periodic Review (UPR): Joint report",
            today.AddDays(45), "16th session of the UPR Working Group (May–June 2013)", null, null, cijp is { } c ? [c] : [], Confidentiality.Public,
            today.AddDays(200)),
            "demo:submission:colombia-upr", ct);
        if (colombia.Status == SubmissionStatus.Planned)
        {
            await commands.AttachTextAsync(colombia.Id, null, null, 5_120, "colombia-upr-joint-report.pdf", "demo:submission:colombia-upr:text", ct);
        }

        await commands.PlanAsync(new PlanSubmission(Mechanism.Cat, "MX", "Mexico: Alternative report to the Committee against Torture",
            today.AddDays(20), null, CatStage.PeriodicReview, null, [], Confidentiality.Public), "demo:submission:mexico-cat", ct);
        await commands.OpenCallAsync(new OpenCallForInput("Call for input on challenges & needs faced by women human rights defenders in Africa",
            "What challenges do women human rights defenders face in your country, and what do they need? " +
            "Announced in the news item \"Call for input on challenges & needs faced by women human rights defenders in Africa\" " +
            "(slug call-for-input-whrd-africa).", today.AddDays(30),
            [], Confidentiality.Network, [Region.Africa]), "demo:call:whrd-africa", ct);
    }
}
