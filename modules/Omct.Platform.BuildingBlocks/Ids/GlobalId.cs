using System.Buffers.Text;
using System.Text;

namespace Omct.Platform.BuildingBlocks.Ids;

/// <summary>
/// Opaque, type-carrying ids for the API (<c>node(id)</c> needs to know the type). Clients never
/// parse them; inside, an id is <c>Type:guid</c> in unpadded base64url.
/// </summary>
public static class GlobalId
{
    public static string Encode(string typeName, Guid id) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{typeName}:{id:N}"));

    /// <summary>Decodes an id of the expected type; false for anything malformed or of another type.</summary>
    public static bool TryDecode(string? globalId, string expectedType, out Guid id)
    {
        id = Guid.Empty;
        return TryDecode(globalId, out var type, out id) && type == expectedType;
    }

    /// <summary>
    /// The id of a mutation's target or reference: a malformed id, or one of another type, is NOT_FOUND (<paramref name="what"/>),
    /// word for word the answer for an id that does not exist or that the caller may not see (api-contract).
    /// </summary>
    public static Guid DecodeOrNotFound(string? globalId, string expectedType, string what) =>
        TryDecode(globalId, expectedType, out var id) ? id : throw Errors.DomainException.NotFound(what);

    public static bool TryDecode(string? globalId, out string typeName, out Guid id)
    {
        typeName = "";
        id = Guid.Empty;
        if (string.IsNullOrEmpty(globalId) || globalId.Length > 100)
        {
            return false;
        }

        Span<byte> buffer = stackalloc byte[100];
        if (Base64Url.DecodeFromChars(globalId, buffer, out _, out var written) != System.Buffers.OperationStatus.Done)
        {
            return false;
        }

        var text = Encoding.UTF8.GetString(buffer[..written]);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !Guid.TryParseExact(text[(colon + 1)..], "N", out id))
        {
            return false;
        }

        typeName = text[..colon];
        return true;
    }
}
