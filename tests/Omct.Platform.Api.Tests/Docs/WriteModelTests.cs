using Marten;
using Microsoft.Extensions.DependencyInjection;
using Omct.Platform.Api.Tests.Cases;
using Omct.Platform.Cases.CaseDetails;
using Omct.Platform.Cases.Domain;
using Omct.Platform.Defenders.Domain;
using Omct.Platform.Defenders.Organisations;
using Omct.Platform.Defenders.Profiles;
using Omct.Platform.News.Articles;
using Omct.Platform.News.Domain;
using Omct.Platform.Submissions.CallsForInput;
using Omct.Platform.Submissions.Domain;
using Omct.Platform.Submissions.Submissions;
using Xunit;

namespace Omct.Platform.Api.Tests.Docs;

/// <summary>
/// The write models the deciders decide on, fetched for writing from existing streams (the demo
/// data's) as the command handlers fetch them, say what the read models say of every field the
/// deciders read — no event was added for them.
/// </summary>
public sealed class WriteModelTests(SeededPlatformFactory platform) : IClassFixture<SeededPlatformFactory>
{
    [Fact]
    public async Task Each_streams_write_model_agrees_with_its_read_model()
    {
        var store = platform.Services.GetRequiredService<IDocumentStore>();
        await using var session = store.LightweightSession();

        await AgreeAsync<Case, CaseState>(session, c => c.Id, 3,
            c => $"{c.Reference} {c.Confidentiality} {c.Status} victims {string.Join(";", c.Victims.Select(v => $"{v.Id}/{v.DefenderId}/{v.Confidentiality}"))} " +
                 $"events {string.Join(";", c.Events.Select(e => $"{e.Id}/{e.Type}/{e.Date}/{string.Join(",", e.VictimIds)}/{e.Confidentiality}"))} " +
                 $"interventions {string.Join(";", c.Interventions.Select(i => i.Type))}",
            s => $"{s.Reference} {s.Confidentiality} {s.Status} victims {string.Join(";", s.Victims.Select(v => $"{v.Id}/{v.DefenderId}/{v.Confidentiality}"))} " +
                 $"events {string.Join(";", s.Events.Select(e => $"{e.Id}/{e.Type}/{e.Date}/{string.Join(",", e.VictimIds)}/{e.Confidentiality}"))} " +
                 $"interventions {string.Join(";", s.Interventions)}");

        await AgreeAsync<Article, ArticleState>(session, a => a.Id, 11,
            a => $"{a.Kind} {a.Status} {a.Confidentiality} {a.PublishAt} {a.WasPublished} {string.Join(";", a.Translations.OrderBy(t => t.Language).Select(t => $"{t.Language}/{t.Slug}"))}",
            s => $"{s.Kind} {s.Status} {s.Confidentiality} {s.PublishAt} {s.WasPublished} {string.Join(";", s.Translations.OrderBy(t => t.Language).Select(t => $"{t.Language}/{t.Slug}"))}");

        await AgreeAsync<Submission, SubmissionState>(session, s => s.Id, 1,
            s => $"{s.Mechanism} {s.Status} {s.LeadOrganisationId} {string.Join(";", s.CoSignatoryIds)} {s.WordCount} {s.Confidentiality}",
            s => $"{s.Mechanism} {s.Status} {s.LeadOrganisationId} {string.Join(";", s.CoSignatoryIds)} {s.WordCount} {s.Confidentiality}");

        await AgreeAsync<CallForInput, CallState>(session, c => c.Id, 1,
            c => $"{c.Status} {c.Deadline} {string.Join(";", c.AudienceCountryCodes)} {c.Confidentiality}",
            s => $"{s.Status} {s.Deadline} {string.Join(";", s.AudienceCountryCodes)} {s.Confidentiality}");

        await AgreeAsync<Defender, DefenderState>(session, d => d.Id, 1,
            d => $"{d.Confidentiality} {d.ListedConfidentiality} {d.Pseudonym} {d.ConsentToPublishName} {d.ConsentToPublishPortrait} {d.RiskLevel} " +
                 $"{string.Join(";", d.OrganisationIds.Order())} {d.MergedInto} {d.Erased}",
            s => $"{s.Confidentiality} {s.ListedConfidentiality} {s.Pseudonym} {s.ConsentToPublishName} {s.ConsentToPublishPortrait} {s.RiskLevel} " +
                 $"{string.Join(";", s.OrganisationIds.Order())} {s.MergedInto} {s.Erased}");

        await AgreeAsync<Organisation, OrganisationState>(session, o => o.Id, 1,
            o => $"{o.NetworkMember} {o.MemberSince} {o.Confidentiality}",
            s => $"{s.NetworkMember} {s.MemberSince} {s.Confidentiality}");
    }

    private static async Task AgreeAsync<TRead, TState>(
        IDocumentSession session, Func<TRead, Guid> id, int atLeast, Func<TRead, string> read, Func<TState, string> state)
        where TRead : notnull
        where TState : class
    {
        var documents = await session.Query<TRead>().ToListAsync();
        Assert.True(documents.Count >= atLeast, $"{typeof(TRead).Name}: {documents.Count} in the demo data");
        var expected = documents.Select(d => $"{id(d)} {read(d)}").Order(StringComparer.Ordinal).ToList();
        var actual = new List<string>();
        foreach (var document in documents)
        {
            var stream = await session.Events.FetchForWriting<TState>(id(document));
            actual.Add($"{id(document)} {state(stream.Aggregate ?? throw new InvalidOperationException($"No {typeof(TState).Name} for {id(document)}"))}");
        }

        Assert.Equal(expected, actual.Order(StringComparer.Ordinal).ToList());
    }
}
