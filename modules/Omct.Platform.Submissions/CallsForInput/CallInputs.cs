using System.Security.Cryptography;
using System.Text;
using Marten;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.Defenders.Contracts;
using Omct.Platform.Submissions.Handling;

namespace Omct.Platform.Submissions.CallsForInput;

/// <summary>
/// The id of an input to a call for input. A call holds one input per organisation (a later one replaces it), so the
/// input is the pair (call, organisation) and its id is derived from that pair alone: a name-based UUID (version 5, RFC
/// 9562) of the call's and the organisation's ids. It is the same for an input recorded before inputs had ids, after a
/// projection rebuild, and when the organisation replaces its text (its files stay with it). The projection also stores
/// it on each input (<see cref="ReceivedInput.Id"/>), so that it can be found.
/// </summary>
public static class CallInputIds
{
    /// <summary>The namespace of these name-based ids (a random UUID, fixed once and for all).</summary>
    private static readonly Guid Namespace = new("5c7f2a8e-3b1d-4e6a-9f0c-2d8b7e1a4c63");

    public static Guid Of(Guid callId, Guid organisationId)
    {
        Span<byte> name = stackalloc byte[16 + 36 + 1 + 36];
        Namespace.TryWriteBytes(name, bigEndian: true, out _);
        var text = Encoding.ASCII.GetBytes($"{callId:D}/{organisationId:D}");
        text.CopyTo(name[16..]);
        Span<byte> hash = stackalloc byte[SHA1.HashSizeInBytes];
#pragma warning disable CA5350 // SHA-1 is what a version 5 UUID is made of: an identifier, not a signature.
        SHA1.HashData(name[..(16 + text.Length)], hash);
#pragma warning restore CA5350
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }

    /// <summary>
    /// Gives every input of the call its id (inputs projected before they had one have none stored) and answers them.
    /// </summary>
    public static List<ReceivedInput> WithIds(CallForInput call)
    {
        foreach (var input in call.Inputs)
        {
            input.Id = Of(call.Id, input.OrganisationId);
        }

        return call.Inputs;
    }
}

/// <summary>An input with its call, as the caller may see it.</summary>
internal sealed record VisibleInput(CallForInput Call, ReceivedInput Input);

/// <summary>
/// Finds inputs to calls by id with the module's rules, as <c>CallForInput.inputs</c> shows them: the call visible to
/// the caller (staff within clearance; a member organisation when the call addresses it), the input readable (staff; its
/// own organisation; the other members when shared with the network), and its organisation visible to the caller.
/// </summary>
internal sealed class CallInputFinder(IDocumentStore store, IDefenderDirectory directory)
{
    public async Task<IReadOnlyDictionary<Guid, VisibleInput>> FindAsync(IReadOnlyCollection<Guid> ids, Caller caller, CancellationToken ct)
    {
        var result = new Dictionary<Guid, VisibleInput>();
        var wanted = ids.Distinct().ToHashSet();
        if (wanted.Count == 0 || !caller.HasRole(Role.NetworkMember))
        {
            return result;
        }

        await using var session = store.QuerySession();
        // The calls holding one of the ids, and those whose inputs were projected before inputs had ids (found by computing them).
        var calls = await session.QueryAsync<CallForInput>(
            "where exists (select 1 from jsonb_array_elements(data -> 'inputs') i where i ->> 'id' = any(?) or i -> 'id' is null)",
            ct, [wanted.Select(w => w.ToString()).ToArray()]);
        var found = calls.SelectMany(c => CallInputIds.WithIds(c).Where(i => wanted.Contains(i.Id)).Select(i => new VisibleInput(c, i))).ToList();
        if (found.Count == 0)
        {
            return result;
        }

        var country = caller.OrganisationId is { } own
            ? (await directory.OrganisationInfoAsync([own], ct)).GetValueOrDefault(own)?.CountryCode
            : null;
        var organisations = await directory.OrganisationsAsync(found.Select(f => f.Input.OrganisationId).Distinct().ToList(), caller, ct);
        foreach (var f in found)
        {
            if (CallVisibility.Sees(caller, f.Call, country) && CallVisibility.Reads(caller, f.Input) && organisations.ContainsKey(f.Input.OrganisationId))
            {
                result[f.Input.Id] = f;
            }
        }

        return result;
    }
}
