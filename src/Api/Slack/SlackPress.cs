using System.Text.Json;
using AssistanceRouter.Grains.Channels.Senders;
using Microsoft.AspNetCore.WebUtilities;

namespace AssistanceRouter.Api.Slack;

/// <summary>
/// One button press, read from Slack's <c>block_actions</c> payload (the form field <c>payload</c>): which action on
/// which request, by whom (the Slack user's name, as <c>acknowledgement.by</c> records it), and where the ephemeral
/// answer goes.
/// </summary>
public sealed record SlackPress(string Action, Guid RequestId, string UserName, string UserId, Uri ResponseUrl)
{
    /// <summary>The press in <paramref name="form"/>, or what is wrong with it, in a line.</summary>
    public static (SlackPress? Press, string? Problem) Read(byte[] form)
    {
        var fields = QueryHelpers.ParseQuery(System.Text.Encoding.UTF8.GetString(form));
        if (!fields.TryGetValue("payload", out var payloads) || payloads.Count != 1 || string.IsNullOrEmpty(payloads[0]))
            return (null, "The form has no 'payload' field: Slack sends interactions as payload={JSON}.");
        try
        {
            using var json = JsonDocument.Parse(payloads[0]!);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object || Text(root, "type") != "block_actions")
                return (null, "The payload is not a block_actions interaction: this app has only buttons.");
            if (!root.TryGetProperty("actions", out var actions) || actions.ValueKind != JsonValueKind.Array || actions.GetArrayLength() != 1)
                return (null, "The payload must carry exactly one action.");
            var action = actions[0];
            var id = action.ValueKind == JsonValueKind.Object ? Text(action, "action_id") : null;
            if (id is null || !SlackAppBlocks.Actions.Contains(id))
                return (null, $"Unknown action: use one of {string.Join(", ", SlackAppBlocks.Actions)}.");
            if (!Guid.TryParse(Text(action, "value"), out var requestId))
                return (null, "The action's value is not a request id.");
            var user = root.TryGetProperty("user", out var u) && u.ValueKind == JsonValueKind.Object ? u : default;
            var name = (user.ValueKind == JsonValueKind.Object ? Text(user, "name") ?? Text(user, "username") ?? Text(user, "id") : null)?.Trim();
            if (string.IsNullOrEmpty(name) || name.Length > AssistanceRequests.RequestLifecycleApi.MaxNameLength || name.Any(char.IsControl))
                return (null, "The payload's user has no usable name.");
            if (!Uri.TryCreate(Text(root, "response_url"), UriKind.Absolute, out var responseUrl)
                || (responseUrl.Scheme != Uri.UriSchemeHttps && responseUrl.Scheme != Uri.UriSchemeHttp))
                return (null, "The payload has no response_url.");
            return (new SlackPress(id, requestId, name, Text(user, "id") ?? name, responseUrl), null);
        }
        catch (JsonException)
        {
            return (null, "The payload is not JSON.");
        }
    }

    private static string? Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
