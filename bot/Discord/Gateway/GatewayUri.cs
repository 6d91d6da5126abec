namespace CaravanBot.Bot.Discord.Gateway;

/// <summary>Turns a gateway address (configured, from <c>GET /gateway/bot</c>, or READY's resume URL) into the one to connect to.</summary>
internal static class GatewayUri
{
    /// <summary>The API version CaravanBot's models follow.</summary>
    public const string ApiVersion = "10";

    /// <summary>
    /// Appends <c>v=10&amp;encoding=json</c>, keeping any other query parameter. An existing <c>v</c> or
    /// <c>encoding</c> is replaced, and <c>compress</c> is dropped: this client reads plain JSON text frames.
    /// </summary>
    /// <exception cref="FormatException">The address is not an absolute ws:// or wss:// URL.</exception>
    public static Uri Build(string address)
    {
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || (uri.Scheme != "wss" && uri.Scheme != "ws"))
        {
            throw new FormatException($"The gateway address \"{address}\" is not a ws:// or wss:// URL.");
        }

        var builder = new UriBuilder(uri);
        var kept = builder.Query.TrimStart('?')
            .Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Where(parameter => !IsParameter(parameter, "v") && !IsParameter(parameter, "encoding") && !IsParameter(parameter, "compress"));
        builder.Query = string.Join('&', kept.Append("v=" + ApiVersion).Append("encoding=json"));
        return builder.Uri;
    }

    private static bool IsParameter(string parameter, string name) =>
        parameter.Equals(name, StringComparison.OrdinalIgnoreCase)
        || parameter.StartsWith(name + "=", StringComparison.OrdinalIgnoreCase);
}
