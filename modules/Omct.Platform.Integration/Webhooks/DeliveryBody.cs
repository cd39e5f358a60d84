using System.Buffers;
using System.Text.Json;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.Integration.ChangeFeed;

namespace Omct.Platform.Integration.Webhooks;

/// <summary>
/// The body of a delivery: <c>{"deliveryId","webhookId","changes":[{cursor sequence entityType entityId kind version occurredAt}],"endCursor"}</c>
/// — the changes exactly as <c>changes</c> lists them (ids and versions, never content), in feed order;
/// <c>endCursor</c> is where the webhook goes on from (it also serves <c>changes(after:)</c> with the webhook's entityTypes).
/// </summary>
internal static class DeliveryBody
{
    /// <summary>The <c>X-Omct-Event</c> of a feed delivery.</summary>
    public const string EventType = "changes";

    public static byte[] Write(Guid deliveryId, Guid webhookId, IReadOnlyList<Change> changes, string endCursor)
    {
        var buffer = new ArrayBufferWriter<byte>(256 + changes.Count * 256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("deliveryId", deliveryId.ToString());
            json.WriteString("webhookId", GlobalId.Encode(Webhook.TypeName, webhookId));
            json.WriteStartArray("changes");
            foreach (var change in changes)
            {
                json.WriteStartObject();
                json.WriteString("cursor", change.Cursor);
                json.WriteNumber("sequence", change.Sequence);
                json.WriteString("entityType", change.EntityType);
                json.WriteString("entityId", change.EntityId);
                json.WriteString("kind", change.Kind.ToString().ToUpperInvariant());
                if (change.Version is { } version)
                {
                    json.WriteNumber("version", version);
                }
                else
                {
                    json.WriteNull("version");
                }

                if (change.OccurredAt is { } at)
                {
                    json.WriteString("occurredAt", at.ToUniversalTime());
                }
                else
                {
                    json.WriteNull("occurredAt");
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteString("endCursor", endCursor);
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
