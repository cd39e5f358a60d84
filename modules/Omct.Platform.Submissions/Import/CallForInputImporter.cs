using Marten;
using Microsoft.Extensions.DependencyInjection;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Countries;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.Import;
using Omct.Platform.BuildingBlocks.Time;
using Omct.Platform.Defenders.Contracts;
using Omct.Platform.Submissions.CallsForInput;
using Omct.Platform.Submissions.Contracts;
using Omct.Platform.Submissions.Domain;
using Omct.Platform.Submissions.Handling;

namespace Omct.Platform.Submissions.Import;

/// <summary>
/// CALL_FOR_INPUT rows (STAFF, as the mutations): <c>openCallForInput</c> — a call of the past (<c>historical</c>, by
/// default when its deadline is before today) keeps its deadline and makes no deadline entry or reminder before the
/// day it is imported — then <c>receiveInput</c> for each of its inputs with the moment it was received, and
/// <c>closeCallForInput</c> at <c>closedAt</c>, each through <see cref="SubmissionCommands"/> with its own
/// clientMutationId. The inputs come nested in JSON/NDJSON (<c>inputs</c>: objects with organisationId, text, receivedAt,
/// shareWithNetwork); a CSV/XLSX row is a call without its inputs. The whole row is checked first with the deciders
/// the mutations use, each input against the call as the earlier ones leave it. There is no update of a call: a changed
/// row receives the inputs of organisations that have none yet and closes the call when it gives closedAt and the call
/// is open; otherwise it is CHANGED_NOT_APPLIED.
/// </summary>
internal sealed class CallForInputImporter : IRecordImporter
{
    public string Kind => "CALL_FOR_INPUT";

    public string RecordType => SubmissionIds.CallForInput;

    public IReadOnlyList<ImportField> Fields { get; } =
    [
        new("title", "The title (at most 300 characters).", Required: true),
        new("question", "What the network is asked (at most 5,000 characters).", Required: true),
        new("deadline", "YYYY-MM-DD.", Required: true),
        new("audienceCountryCodes", "The countries it addresses (ISO 3166-1 alpha-2), separated by ;; none: the whole network."),
        new("audienceRegions", "AFRICA, AMERICAS, ASIA, EUROPE, OCEANIA or ANTARCTICA, separated by ;."),
        new("confidentiality", "PUBLIC, NETWORK, STAFF (default) or RESTRICTED, up to your clearance."),
        new("historical", "A call of the past (true by default when the deadline is before today): no deadline or reminder before the day it is imported."),
        new("closedAt", "When it was closed (ISO 8601 or YYYY-MM-DD), in the past: a call of the past only."),
    ];

    public IReadOnlyDictionary<string, IReadOnlyList<ImportField>> Parts { get; } = new Dictionary<string, IReadOnlyList<ImportField>>
    {
        ["inputs"] =
        [
            new("organisationId", "The id of the member organisation that answered.", Required: true),
            new("text", "Its answer.", Required: true),
            new("receivedAt", "When it was received (ISO 8601 or YYYY-MM-DD); default: now."),
            new("shareWithNetwork", "Shared with the other members: true or false (default)."),
        ],
    };

    internal sealed record ReceivedPlan(Guid OrganisationId, string? Text, DateTimeOffset? ReceivedAt, bool ShareWithNetwork);

    internal sealed record CallPlan(OpenCallForInput Open, IReadOnlyList<ReceivedPlan> Inputs, DateTimeOffset? ClosedAt);

    public async Task<ImportCheck> CheckAsync(ImportRow row, Guid? existing, IServiceProvider services, CancellationToken cancellationToken)
    {
        var caller = services.GetRequiredService<ICallerContext>().Current;
        var time = services.GetRequiredService<TimeProvider>();
        var (now, today) = (time.GetUtcNow(), time.TodayUtc());
        var commands = services.GetRequiredService<SubmissionCommands>();
        var values = new ImportValues(row, caller);
        var deadline = values.Required("deadline", values.Date("deadline"));
        var open = new OpenCallForInput(values.Text("title"), values.Text("question"), deadline ?? default, values.List("audienceCountryCodes"),
            values.Enum<Confidentiality>("confidentiality") ?? Confidentiality.Staff, values.Enums<Region>("audienceRegions"), values.Bool("historical") ?? deadline < today);
        var closedAt = values.Moment("closedAt");
        var state = values.Problems.Count == 0 ? values.Guard(() => SubmissionDecider.Evolve((CallState?)null, SubmissionDecider.Open(Guid.Empty, open, today, caller.Clearance))) : null;

        var inputs = new List<ReceivedPlan>();
        var parts = row.Part("inputs");
        for (var i = 0; i < parts.Count; i++)
        {
            var part = new ImportValues(parts[i], caller, $"inputs[{i}].");
            var organisationId = part.Required("organisationId", part.Id("organisationId", DefenderIds.Organisation));
            var input = new ReceivedPlan(organisationId ?? default, part.Text("text"), part.Moment("receivedAt"), part.Bool("shareWithNetwork") ?? false);
            if (part.Problems.Count == 0 && state is not null)
            {
                OrganisationInfo? organisation = null;
                await part.GuardAsync(async () => organisation = await commands.AnsweringOrganisationAsync(input.OrganisationId, cancellationToken));
                if (organisation is { } answering)
                {
                    var received = part.Guard(() => SubmissionDecider.Receive(state, answering.Id, answering.CountryCode, input.Text, input.ShareWithNetwork,
                        caller.Id ?? caller.Name, now, today, input.ReceivedAt));
                    state = received is null ? state : SubmissionDecider.Evolve(state, received);
                }
            }

            inputs.Add(input);
            values.Problems.AddRange(part.Problems);
        }

        if (closedAt is not null && state is not null)
        {
            values.Guard(() => SubmissionDecider.Close(state, closedAt, now));
        }

        return values.Problems.Count > 0 ? ImportCheck.Refused(values.Problems) : ImportCheck.Of(new CallPlan(open, inputs, closedAt));
    }

    public async Task<ImportApplied> ApplyAsync(object command, Guid? existing, string operationKey, IServiceProvider services, CancellationToken cancellationToken)
    {
        var plan = (CallPlan)command;
        var commands = services.GetRequiredService<SubmissionCommands>();
        var call = existing is { } known
            ? await services.GetRequiredService<IQuerySession>().LoadAsync<CallForInput>(known, cancellationToken) ?? throw DomainException.NotFound("The call for input")
            : await commands.OpenCallAsync(plan.Open, operationKey + ":open", cancellationToken);
        var version = call.Version;
        for (var i = 0; i < plan.Inputs.Count; i++)
        {
            var input = plan.Inputs[i];
            if (existing is null || call.Inputs.All(received => received.OrganisationId != input.OrganisationId))
            {
                call = await commands.ReceiveInputAsync(call.Id, null, input.OrganisationId, input.Text, input.ShareWithNetwork, input.ReceivedAt,
                    $"{operationKey}:in{i}", cancellationToken);
            }
        }

        if (plan.ClosedAt is { } closedAt && call.Status == CallStatus.Open)
        {
            call = await commands.CloseCallAsync(call.Id, null, closedAt, operationKey + ":close", cancellationToken);
        }

        return new ImportApplied(call.Id, Applied: existing is null || call.Version != version);
    }
}
