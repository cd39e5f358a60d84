using Marten;
using Microsoft.Extensions.DependencyInjection;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.BuildingBlocks.Privacy;
using Omct.Platform.Cases.Contracts;
using Omct.Platform.Cases.Domain;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Privacy;

/// <summary>
/// Issue 26: the erasure's listing shows an admin only the records their clearance reaches, while the redaction reaches
/// every level; and a record changed while the erasure runs makes it read again and succeed, keeping that change.
/// </summary>
public sealed class ErasureListingTests(ErasureListingTests.MeddlingPlatform platform) : IClassFixture<ErasureListingTests.MeddlingPlatform>
{
    private const string Name = "Yusuf Listedname";

    [Fact]
    public async Task An_admin_below_restricted_is_listed_only_what_they_may_see_and_every_level_is_redacted()
    {
        var admin = platform.Admin();
        var defender = await RegisterAsync(admin, "Sara Levelname", "STAFF");
        var staffCase = await OpenCaseAsync(admin, "Sudan: Sara Levelname detained", "STAFF");
        var restrictedCase = await OpenCaseAsync(admin, "Sudan: Sara Levelname's lawyer threatened", "RESTRICTED");
        var staffAdmin = platform.GraphQL(await admin.CreateApiKeyAsync("ADMIN", "STAFF"));

        var listed = (await staffAdmin.QueryAsync(
                "mutation($id: ID!) { eraseDefenderPersonalData(input: { defenderId: $id }) { defender { erasureRedactions { recordId } } } }", new { id = defender }))
            .GetProperty("eraseDefenderPersonalData").GetProperty("defender").GetProperty("erasureRedactions").EnumerateArray().Select(r => r.GetProperty("recordId").GetString()).ToList();
        Assert.Equal([staffCase], listed);

        // The RESTRICTED case was redacted all the same, and a RESTRICTED admin is listed both.
        Assert.Equal("Sudan: S.L.'s lawyer threatened", await TitleAsync(admin, restrictedCase));
        var all = (await admin.QueryAsync("query($id: ID!) { defender(id: $id) { erasureRedactions { recordId } } }", new { id = defender }))
            .GetProperty("defender").GetProperty("erasureRedactions").EnumerateArray().Select(r => r.GetProperty("recordId").GetString()).Order().ToList();
        Assert.Equal(new[] { staffCase, restrictedCase }.Order(), all);
    }

    [Fact]
    public async Task A_case_changed_while_the_erasure_runs_is_read_again_and_both_the_change_and_the_redaction_stand()
    {
        var admin = platform.Admin();
        var defender = await RegisterAsync(admin, Name, "STAFF");
        var caseId = await OpenCaseAsync(admin, $"Sudan: {Name} detained", "STAFF");
        GlobalId.TryDecode(caseId, out _, out var caseGuid);
        platform.Meddle = caseGuid;

        await admin.QueryAsync("mutation($id: ID!) { eraseDefenderPersonalData(input: { defenderId: $id }) { defender { erased } } }", new { id = defender });

        Assert.Equal(2, platform.Meddled); // asked twice: the erasure met the change, read again and erased
        var read = (await admin.QueryAsync("query($id: ID!) { node(id: $id) { ... on Case { title status } } }", new { id = caseId })).GetProperty("node");
        Assert.Equal(("Sudan: Y.L. detained", "MONITORING"), (read.GetProperty("title").GetString(), read.GetProperty("status").GetString()));
    }

    private static async Task<string> TitleAsync(GraphQLClient client, string caseId) =>
        (await client.QueryAsync("query($id: ID!) { node(id: $id) { ... on Case { title } } }", new { id = caseId })).GetProperty("node").GetProperty("title").GetString()!;

    private static async Task<string> RegisterAsync(GraphQLClient admin, string name, string level) =>
        (await admin.QueryAsync(
            "mutation($name: String!, $pseudonym: String!, $level: Confidentiality) { registerDefender(input: { name: $name, pseudonym: $pseudonym, countryCode: \"SD\", confidentiality: $level }) { defender { id } } }",
            new { name, pseudonym = string.Concat(name.Split(' ').Select(w => $"{w[0]}.")), level })).GetProperty("registerDefender").GetProperty("defender").GetProperty("id").GetString()!;

    private static async Task<string> OpenCaseAsync(GraphQLClient admin, string title, string level) =>
        (await admin.QueryAsync("mutation($title: String!, $level: Confidentiality) { openCase(input: { title: $title, countryCode: \"SD\", confidentiality: $level }) { case { id } } }",
            new { title, level })).GetProperty("openCase").GetProperty("case").GetProperty("id").GetString()!;

    /// <summary>
    /// The platform with one more erasure participant, asked after the modules' own: the first time it is asked while
    /// <see cref="Meddle"/> names a case, it changes that case (its status), as a colleague's write at that moment would;
    /// <see cref="Meddled"/> counts how many times it was asked.
    /// </summary>
    public sealed class MeddlingPlatform : PlatformFactory
    {
        private int _meddled;

        public Guid? Meddle { get; set; }

        public int Meddled => Volatile.Read(ref _meddled);

        protected override void ConfigureServices(IServiceCollection services) =>
            services.AddSingleton<IPersonalDataErasureParticipant>(sp => new Meddler(this, sp.GetRequiredService<IDocumentStore>()));

        private sealed class Meddler(MeddlingPlatform platform, IDocumentStore store) : IPersonalDataErasureParticipant
        {
            public async Task<ErasurePreparation> PrepareAsync(ErasedPerson person, CancellationToken cancellationToken)
            {
                if (platform.Meddle is { } caseId && Interlocked.Increment(ref platform._meddled) == 1)
                {
                    await using var session = store.LightweightSession();
                    // As the platform's own writes do (a quick append gives the projection the version only this way).
                    var stream = await session.Events.FetchForWriting<CaseState>(caseId, cancellationToken);
                    stream.AppendOne(new CaseStatusChanged(CaseStatus.Open, CaseStatus.Monitoring));
                    await session.SaveChangesAsync(cancellationToken);
                }

                return ErasurePreparation.Nothing;
            }
        }
    }
}
