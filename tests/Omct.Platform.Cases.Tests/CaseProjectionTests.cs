using JasperFx.Events;
using Marten;
using Npgsql;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Dates;
using Omct.Platform.Cases.CaseDetails;
using Omct.Platform.Cases.Contracts;
using Omct.Platform.Cases.Domain;
using Omct.Platform.Testing;
using Weasel.Core;
using Xunit;

namespace Omct.Platform.Cases.Tests;

/// <summary>The case read model, kept inline by <see cref="CaseProjection"/>, against a real PostgreSQL.</summary>
public sealed class CaseProjectionTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private DocumentStore _store = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        // The host's serializer settings (enums as their names), with only this module's mapping.
        _store = DocumentStore.For(options =>
        {
            options.Connection(_database.ConnectionString);
            options.DatabaseSchemaName = "omct";
            options.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase);
            options.Events.StreamIdentity = StreamIdentity.AsGuid;
            new CasesModule().ConfigureMarten(options);
        });
        await _store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task The_case_read_model_follows_its_stream_in_the_same_transaction()
    {
        var caseId = Guid.NewGuid();
        var defender = new VictimAdded(Guid.NewGuid(), Guid.NewGuid(), null, Confidentiality.Public);
        var named = new VictimAdded(Guid.NewGuid(), null, "A witness", Confidentiality.Staff);
        var later = new CaseEventRecorded(Guid.NewGuid(), CaseEventType.Conviction, PartialDate.Parse("2011-11-24"), [defender.VictimId],
            "Convicted", PerpetratorType.Judiciary, "Viasna", Confidentiality.Public);
        var earlier = new CaseEventRecorded(Guid.NewGuid(), CaseEventType.Arrest, PartialDate.Parse("2011-08"), [defender.VictimId],
            null, null, null, Confidentiality.Restricted);

        await using (var session = _store.LightweightSession())
        {
            session.Events.StartStream<Case>(caseId,
                new CaseOpened(caseId, 7, "BLR 001 / 0811 / OBS 001", "Belarus: Ales Bialiatski", "BY", "Sentenced", Confidentiality.Public, new DateOnly(2011, 8, 5)),
                defender, named, later, earlier,
                new DefenderSituationReported(defender.DefenderId!.Value, caseId, earlier.EventId, ReportedSituation.Detained, earlier.Date, Confidentiality.Restricted),
                new InterventionIssued(Guid.NewGuid(), InterventionType.UrgentAppeal, 0, "BLR 001 / 0811 / OBS 001", new DateOnly(2011, 8, 5), ["President"]),
                new CaseEventCorrected(later.EventId, CaseEventType.Sentencing, later.Date, later.VictimIds, "Sentenced to 4.5 years", PerpetratorType.Judiciary, "Viasna", Confidentiality.Public),
                new CaseStatusChanged(CaseStatus.Open, CaseStatus.Monitoring));
            await session.SaveChangesAsync();

            // Read your own write: the same session sees the projected document at once.
            var read = await session.LoadAsync<Case>(caseId);
            Assert.NotNull(read);
            Assert.Equal(9, read.Version);
        }

        await using var query = _store.QuerySession();
        var c = (await query.LoadAsync<Case>(caseId))!;
        Assert.Equal(CaseStatus.Monitoring, c.Status);
        Assert.Equal([defender.VictimId, named.VictimId], c.Victims.Select(v => v.Id));
        Assert.Equal(Confidentiality.Staff, c.Victims[1].Confidentiality);
        Assert.Equal([defender.DefenderId!.Value], c.DefenderIds);
        Assert.Equal([CaseEventType.Sentencing, CaseEventType.Arrest], c.Events.Select(e => e.Type));
        Assert.Equal("Sentenced to 4.5 years", c.Events[0].Description);
        Assert.Single(c.Interventions);
        Assert.Equal("Belarus: Ales Bialiatski\nSentenced", c.SearchText);
        Assert.Equal(Case.OrderKeyFor(new DateOnly(2011, 8, 5), 7), c.OrderKey);

        // The columns the list, its filters and the statistics read.
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select country_code, status, confidentiality, opened_on, order_key from omct.mt_doc_cases_case where id = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = caseId });
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(("BY", "Monitoring", "Public", new DateOnly(2011, 8, 5), c.OrderKey),
            (reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateOnly>(3), reader.GetInt64(4)));
    }
}
