using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Countries;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.EventSourcing;
using Omct.Platform.Submissions.Domain;
using Xunit;

namespace Omct.Platform.Submissions.Tests;

/// <summary>Given a submission's or a call's events, when a command, then events or an error — no database.</summary>
public sealed class SubmissionDeciderTests
{
    private static readonly DateOnly Today = new(2024, 3, 1);
    private static readonly DateTimeOffset Now = new(2024, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly Guid Lead = Guid.NewGuid();
    private static readonly Guid CoSigner = Guid.NewGuid();

    private static PlanSubmission Plan(Mechanism mechanism = Mechanism.Upr, Confidentiality? level = null) =>
        new(mechanism, "by", "Belarus: UPR 4th cycle", Today.AddDays(30), "46th session", null, Lead, [], level);

    private static SubmissionState Submission(Mechanism mechanism = Mechanism.Upr, params object[] then) =>
        WriteModel.Fold<SubmissionState>(SubmissionDecider.Evolve, [SubmissionDecider.Plan(Guid.NewGuid(), Plan(mechanism), Today, Confidentiality.Staff), .. then])!;

    private static CallState Call(IReadOnlyList<string> countries, params object[] then) =>
        WriteModel.Fold<CallState>(SubmissionDecider.Evolve,
            [SubmissionDecider.Open(Guid.NewGuid(), new OpenCallForInput("Input on torture in detention", "What happened?", Today.AddDays(10), countries, null), Today, Confidentiality.Staff),
             .. then])!;

    private static void Refused(string field, Action act)
    {
        var error = Assert.Throws<DomainException>(act);
        Assert.Equal(ErrorCodes.Validation, error.Code);
        Assert.Equal(field, error.Field);
    }

    [Fact]
    public void Planning_records_the_submission_without_its_lead_among_the_co_signatories()
    {
        var planned = SubmissionDecider.Plan(Guid.NewGuid(), Plan() with { CountryCode = "by", CoSignatoryIds = [Lead, CoSigner, CoSigner] }, Today, Confidentiality.Staff);
        Assert.Equal(("BY", Confidentiality.Staff, "46th session"), (planned.CountryCode, planned.Confidentiality, planned.Session));
        Assert.Equal([CoSigner], planned.CoSignatoryIds);
    }

    [Fact]
    public void Planning_refuses_bad_input()
    {
        Refused("title", () => SubmissionDecider.Plan(Guid.NewGuid(), Plan() with { Title = " " }, Today, Confidentiality.Staff));
        Refused("countryCode", () => SubmissionDecider.Plan(Guid.NewGuid(), Plan() with { CountryCode = "XX" }, Today, Confidentiality.Staff));
        Refused("dueOn", () => SubmissionDecider.Plan(Guid.NewGuid(), Plan() with { DueOn = Today.AddDays(-1) }, Today, Confidentiality.Staff));
        Refused("catStage", () => SubmissionDecider.Plan(Guid.NewGuid(), Plan() with { CatStage = CatStage.ListOfIssues }, Today, Confidentiality.Staff));
        Refused("sessionStartsOn", () => SubmissionDecider.Plan(Guid.NewGuid(), Plan() with { SessionStartsOn = Today.AddDays(29) }, Today, Confidentiality.Staff));
        Assert.Equal(CatStage.ListOfIssues,
            SubmissionDecider.Plan(Guid.NewGuid(), Plan(Mechanism.Cat) with { CatStage = CatStage.ListOfIssues }, Today, Confidentiality.Staff).CatStage);
    }

    [Theory]
    [InlineData(Confidentiality.Network, Confidentiality.Staff)]
    [InlineData(Confidentiality.Staff, Confidentiality.Restricted)]
    public void Nothing_is_written_above_the_callers_clearance(Confidentiality clearance, Confidentiality above)
    {
        Refused("confidentiality", () => SubmissionDecider.Plan(Guid.NewGuid(), Plan(level: above), Today, clearance));
        Refused("confidentiality", () => SubmissionDecider.Open(Guid.NewGuid(), new OpenCallForInput("T", "Q", Today, [], above), Today, clearance));
        Assert.Equal(clearance, SubmissionDecider.Plan(Guid.NewGuid(), Plan(level: clearance), Today, clearance).Confidentiality);
    }

    [Fact]
    public void Co_signatories_are_added_once_and_removed_only_when_they_sign()
    {
        var submission = Submission();
        Assert.Equal(new CoSignatoryAdded(CoSigner), SubmissionDecider.AddCoSignatory(submission, CoSigner));
        Refused("organisationId", () => SubmissionDecider.AddCoSignatory(submission, Lead));
        Refused("organisationId", () => SubmissionDecider.RemoveCoSignatory(submission, CoSigner));

        var joint = Submission(Mechanism.Upr, new CoSignatoryAdded(CoSigner));
        Refused("organisationId", () => SubmissionDecider.AddCoSignatory(joint, CoSigner));
        Assert.Equal(new CoSignatoryRemoved(CoSigner), SubmissionDecider.RemoveCoSignatory(joint, CoSigner));
        Assert.Empty(SubmissionDecider.Evolve(joint, new CoSignatoryRemoved(CoSigner))!.CoSignatoryIds);
    }

    [Fact]
    public void The_text_gives_the_word_count_or_the_word_count_is_given_with_a_file()
    {
        Assert.Equal(4, SubmissionDecider.AttachText(Submission(), " Four words in  here ", null, null).WordCount);
        Assert.Equal(new SubmissionTextAttached(2_000, "drive/upr.docx", null), SubmissionDecider.AttachText(Submission(), null, 2_000, "drive/upr.docx"));
        Refused("wordCount", () => SubmissionDecider.AttachText(Submission(), null, null, "drive/upr.docx"));
        Refused("wordCount", () => SubmissionDecider.AttachText(Submission(), null, -1, null));
    }

    [Fact]
    public void Submitting_needs_the_text_and_a_date_not_in_the_future()
    {
        Refused("submissionId", () => SubmissionDecider.Submit(Submission(), null, Today, jointForCaller: false));
        var drafted = Submission(Mechanism.Upr, new SubmissionTextAttached(100, null, null));
        Assert.Equal(new SubmissionSubmitted(Today), SubmissionDecider.Submit(drafted, null, Today, jointForCaller: false));
        Assert.Equal(new SubmissionSubmitted(Today.AddDays(-2)), SubmissionDecider.Submit(drafted, Today.AddDays(-2), Today, jointForCaller: false));
        Refused("submittedOn", () => SubmissionDecider.Submit(drafted, Today.AddDays(1), Today, jointForCaller: false));
    }

    [Fact]
    public void A_UPR_submission_keeps_to_the_word_limit_of_a_single_or_a_joint_submission()
    {
        var overSingle = Submission(Mechanism.Upr, new SubmissionTextAttached(SubmissionDecider.UprWordLimitSingle + 1, "f", null));
        Refused("wordCount", () => SubmissionDecider.Submit(overSingle, null, Today, jointForCaller: false));
        Assert.IsType<SubmissionSubmitted>(SubmissionDecider.Submit(overSingle, null, Today, jointForCaller: true));
        var tooLong = Submission(Mechanism.Upr, new SubmissionTextAttached(SubmissionDecider.UprWordLimitJoint + 1, "f", null));
        Refused("wordCount", () => SubmissionDecider.Submit(tooLong, null, Today, jointForCaller: true));
        // Other mechanisms have no limit here.
        Assert.IsType<SubmissionSubmitted>(SubmissionDecider.Submit(
            Submission(Mechanism.Cat, new SubmissionTextAttached(SubmissionDecider.UprWordLimitJoint + 1, "f", null)), null, Today, jointForCaller: false));
    }

    [Fact]
    public void A_submitted_submission_no_longer_changes_and_its_outcome_comes_after()
    {
        var drafted = Submission(Mechanism.Upr, new SubmissionTextAttached(100, null, null));
        Refused("submissionId", () => SubmissionDecider.RecordOutcome(drafted, [], null, Today));

        var submitted = Submission(Mechanism.Upr, new SubmissionTextAttached(100, null, null), new SubmissionSubmitted(Today));
        Refused("organisationId", () => SubmissionDecider.AddCoSignatory(submitted, CoSigner));
        Refused("submissionId", () => SubmissionDecider.AttachText(submitted, "Text", null, null));
        Refused("submissionId", () => SubmissionDecider.Submit(submitted, null, Today, jointForCaller: false));

        var recommendations = new[] { new Recommendation("Ratify OPCAT", true, []) };
        Assert.Equal(recommendations, SubmissionDecider.RecordOutcome(submitted, recommendations, null, Today).Recommendations);
        var recorded = SubmissionDecider.Evolve(submitted, new OutcomeRecorded(recommendations))!;
        Assert.Equal(SubmissionStatus.OutcomeRecorded, recorded.Status);
        Assert.IsType<OutcomeRecorded>(SubmissionDecider.RecordOutcome(recorded, [], null, Today));
        Refused("recommendations[1].text", () => SubmissionDecider.RecordOutcome(submitted, [new Recommendation("One", false, []), new Recommendation(" ", false, [])], null, Today));
    }

    [Fact]
    public void The_submission_state_follows_the_events()
    {
        var other = Guid.NewGuid();
        var state = Submission(Mechanism.Upr, new CoSignatoryAdded(CoSigner), new CoSignatoryAdded(other), new CoSignatoryRemoved(CoSigner),
            new SubmissionTextAttached(1_234, null, "…"));
        Assert.Equal((Mechanism.Upr, SubmissionStatus.Drafting, (int?)1_234, Lead, Confidentiality.Staff),
            (state.Mechanism, state.Status, state.WordCount, state.LeadOrganisationId!.Value, state.Confidentiality));
        Assert.Equal([other], state.CoSignatoryIds);
        Assert.Null(SubmissionDecider.Evolve((SubmissionState?)null, new CoSignatoryAdded(other)));
    }

    [Fact]
    public void Opening_a_call_refuses_a_past_deadline_and_unknown_countries()
    {
        var opened = SubmissionDecider.Open(Guid.NewGuid(), new OpenCallForInput(" Call ", "Q", Today, ["ke", "KE"], null), Today, Confidentiality.Staff);
        Assert.Equal(("Call", Confidentiality.Staff), (opened.Title, opened.Confidentiality));
        Assert.Equal(["KE"], opened.AudienceCountryCodes);
        Refused("deadline", () => SubmissionDecider.Open(Guid.NewGuid(), new OpenCallForInput("T", "Q", Today.AddDays(-1), [], null), Today, Confidentiality.Staff));
        Refused("audienceCountryCodes[1]", () => SubmissionDecider.Open(Guid.NewGuid(), new OpenCallForInput("T", "Q", Today, ["KE", "XX"], null), Today, Confidentiality.Staff));
        Refused("question", () => SubmissionDecider.Open(Guid.NewGuid(), new OpenCallForInput("T", "", Today, [], null), Today, Confidentiality.Staff));
    }

    [Fact]
    public void A_call_takes_input_from_its_audience_until_its_deadline()
    {
        var organisation = Guid.NewGuid();
        var call = Call(["KE"]);
        Assert.Equal(new InputReceived(organisation, "Our input", Now, "key:1", true),
            SubmissionDecider.Receive(call, organisation, "KE", " Our input ", true, "key:1", Now, Today));
        Refused("organisationId", () => SubmissionDecider.Receive(call, organisation, "UG", "Input", false, "key:1", Now, Today));
        Refused("text", () => SubmissionDecider.Receive(call, organisation, "KE", " ", false, "key:1", Now, Today));
        Refused("callId", () => SubmissionDecider.Receive(call, organisation, "KE", "Late", false, "key:1", Now, Today.AddDays(11)));
        Refused("callId", () => SubmissionDecider.Receive(Call(["KE"], new CallForInputClosed(Now, false)), organisation, "KE", "Input", false, "key:1", Now, Today));
        // A call to every member takes input from any country.
        Assert.IsType<InputReceived>(SubmissionDecider.Receive(Call([]), organisation, "UG", "Input", false, "key:1", Now, Today));
    }

    [Fact]
    public void A_call_addressed_to_a_region_takes_input_from_its_countries()
    {
        var region = Enum.GetValues<Region>()[0];
        var country = Country.CodesIn([region])[0];
        var call = WriteModel.Fold<CallState>(SubmissionDecider.Evolve,
            [new CallForInputOpened(Guid.NewGuid(), "T", "Q", Today.AddDays(10), [], Confidentiality.Staff, [region])])!;
        Assert.Contains(country, call.AudienceCountryCodes);
        Assert.IsType<InputReceived>(SubmissionDecider.Receive(call, Guid.NewGuid(), country, "Input", false, "key:1", Now, Today));
    }

    [Fact]
    public void A_deadline_is_extended_only_to_a_later_day_and_reopens_the_call()
    {
        var call = Call([]);
        Assert.Equal(new CallDeadlineExtended(Today.AddDays(20)), SubmissionDecider.Extend(call, Today.AddDays(20), Today));
        Refused("deadline", () => SubmissionDecider.Extend(call, Today.AddDays(10), Today));
        Refused("deadline", () => SubmissionDecider.Extend(call, Today.AddDays(5), Today));

        var closed = Call([], new CallForInputClosed(Now, true));
        Assert.Equal(CallStatus.Closed, closed.Status);
        var reopened = SubmissionDecider.Evolve(closed, SubmissionDecider.Extend(closed, Today.AddDays(20), Today))!;
        Assert.Equal((CallStatus.Open, Today.AddDays(20)), (reopened.Status, reopened.Deadline));
    }

    [Fact]
    public void A_call_closes_automatically_once_after_its_deadline_day()
    {
        var call = Call([]);
        Assert.Empty(SubmissionDecider.CloseIfExpired(call, Now, Today.AddDays(10)));
        Assert.Equal([new CallForInputClosed(Now, Automatically: true)], SubmissionDecider.CloseIfExpired(call, Now, Today.AddDays(11)));
        Assert.Empty(SubmissionDecider.CloseIfExpired(Call([], new CallForInputClosed(Now, true)), Now, Today.AddDays(11)));
        Assert.Null(SubmissionDecider.Evolve((CallState?)null, new CallForInputClosed(Now, true)));
    }
}
