using Marten;
using Omct.Platform.BuildingBlocks.Privacy;
using Omct.Platform.Cases.CaseDetails;
using Omct.Platform.Cases.Contracts;
using Omct.Platform.Cases.Domain;
using Omct.Platform.Cases.GraphQL;

namespace Omct.Platform.Cases.Erasure;

/// <summary>
/// A defender's erasure reaches the cases' free text: every case event in the store whose data holds the person's name
/// (a title, summary, event description or source, a victim named on the case, an addressee) is rewritten in place with
/// the name replaced (<see cref="EventTextRedaction"/>), and each case concerned gets <see cref="CaseTextRedacted"/> with
/// its texts as they are now — appended at the version read, so a case changed in between fails the erasure (nothing is
/// erased; the admin erases again) rather than keep a name. The list, search, feed, exports and digests read the case
/// documents, which that event corrects in the same transaction; a rebuild reads the rewritten events.
/// </summary>
internal sealed class CaseTextErasure(IDocumentStore store) : IPersonalDataErasureParticipant
{
    public async Task<ErasurePreparation> PrepareAsync(ErasedPerson person, CancellationToken cancellationToken)
    {
        if (NameRedaction.For(person) is not { } redaction)
        {
            return ErasurePreparation.Nothing;
        }

        await using var session = store.QuerySession();
        var events = await EventTextRedaction.FindAsync(session, "cases.", redaction, cancellationToken);
        if (events.Count == 0)
        {
            return ErasurePreparation.Nothing;
        }

        var cases = await session.LoadManyAsync<Case>(cancellationToken, events.Select(e => e.StreamId).Distinct());
        var appends = new List<(Guid Id, int Version, CaseTextRedacted Event)>();
        var listing = new List<RedactedRecord>();
        foreach (var c in cases)
        {
            var (texts, occurrences) = Redact(c, redaction);
            var fields = texts.Select(t => t.Field).Distinct().ToList();
            if (texts.Count > 0)
            {
                appends.Add((c.Id, c.Version, new CaseTextRedacted(texts, person.ErasedAt)));
            }

            // A name only in an earlier version of a text (corrected since) is redacted from the events alone.
            var history = events.Where(e => e.StreamId == c.Id).Sum(e => e.Occurrences);
            listing.Add(new RedactedRecord(CaseIds.Case, c.Id, c.Reference, fields.Count > 0 ? fields : ["history"], occurrences > 0 ? occurrences : history, c.Confidentiality));
        }

        return new ErasurePreparation(write =>
        {
            EventTextRedaction.QueueRewrite(write, events);
            foreach (var (id, version, redacted) in appends)
            {
                write.Events.Append(id, version + 1, redacted);
            }
        }, listing);
    }

    /// <summary>The case's texts that hold the name, redacted, and the occurrences found in them.</summary>
    internal static (List<RedactedCaseText> Texts, int Occurrences) Redact(Case c, NameRedaction redaction)
    {
        var texts = new List<RedactedCaseText>();
        var count = 0;

        void Text(string field, Guid? item, string? text)
        {
            var before = count;
            var redacted = redaction.Redact(text, ref count);
            if (count != before)
            {
                texts.Add(new RedactedCaseText(field, item, redacted));
            }
        }

        Text(RedactedCaseText.Title, null, c.Title);
        Text(RedactedCaseText.Summary, null, c.Summary);
        foreach (var e in c.Events)
        {
            Text(RedactedCaseText.EventDescription, e.Id, e.Description);
            Text(RedactedCaseText.EventSource, e.Id, e.Source);
        }

        foreach (var v in c.Victims)
        {
            Text(RedactedCaseText.VictimName, v.Id, v.Name);
        }

        foreach (var i in c.Interventions)
        {
            var before = count;
            var addressees = i.Addressees.Select(a => redaction.Redact(a, ref count)!).ToList();
            if (count != before)
            {
                texts.Add(new RedactedCaseText(RedactedCaseText.InterventionAddressees, i.Id, null, addressees));
            }
        }

        return (texts, count);
    }
}
