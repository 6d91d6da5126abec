using Xunit;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Json.Schema;

namespace CaravanBot.FakeDiscord;

/// <summary>A problem with a request body: where (a JSON pointer into the body) and what.</summary>
/// <param name="Location">JSON pointer, e.g. <c>/embeds/0/title</c>; empty for the whole body.</param>
/// <param name="Message">What is wrong.</param>
public sealed record SchemaProblem(string Location, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{(Location.Length == 0 ? "(body)" : Location)}: {Message}";
}

/// <summary>The result of checking one request against Discord's OpenAPI description and CaravanBot's own rules.</summary>
/// <param name="Method">HTTP method.</param>
/// <param name="Path">The request path.</param>
/// <param name="SpecPath">The matching path template of the spec, or null when none matched.</param>
/// <param name="DiscordErrors">What Discord itself would refuse: the spec's schema, and the 2000-character content limit it enforces for bots.</param>
/// <param name="HouseErrors">What CaravanBot forbids itself: unknown (misspelt) property names, any ping.</param>
public sealed record SchemaReport(string Method, string Path, string? SpecPath, IReadOnlyList<SchemaProblem> DiscordErrors, IReadOnlyList<SchemaProblem> HouseErrors)
{
    /// <summary>No problem of either kind.</summary>
    public bool IsValid => DiscordErrors.Count == 0 && HouseErrors.Count == 0;

    /// <summary>Every problem.</summary>
    public IEnumerable<SchemaProblem> AllErrors => DiscordErrors.Concat(HouseErrors);

    /// <inheritdoc />
    public override string ToString() =>
        IsValid
            ? $"{Method} {SpecPath ?? Path}: valid"
            : $"{Method} {SpecPath ?? Path}:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", AllErrors);
}

/// <summary>
/// Checks REST request bodies against Discord's own OpenAPI 3.1 description (<c>../shared/discord/openapi.json</c>
/// next to the solution folder) with JsonSchema.Net, plus what the schema cannot say: it has no
/// <c>additionalProperties: false</c>, so every property name is checked against a list per request
/// type; content is held to the 2000 characters Discord enforces for bots (the spec says 4000); and
/// <c>allowed_mentions.parse</c> must be empty everywhere. End-to-end tests call <see cref="AssertValid"/>
/// on each recorded request.
/// </summary>
public static class DiscordSchema
{
    /// <summary>The base URI the spec is registered under.</summary>
    public static readonly Uri SpecUri = new("https://discord.test/openapi.json");

    private const string Prefix = RecordedRequest.ApiPrefix;

    private static readonly Lazy<LoadedSpec> Spec = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    // JsonSchema.Net builds into a shared registry; one test at a time builds or evaluates.
    private static readonly Lock Gate = new();

    // Property names Discord accepts, per object kind: name → kind of the value's objects (null: a scalar or opaque value).
    private static readonly Dictionary<string, Dictionary<string, string?>> Shapes = new(StringComparer.Ordinal)
    {
        ["channel_message"] = Kinds(
            ("content", null), ("embeds", "embed"), ("allowed_mentions", "allowed_mentions"), ("message_reference", "message_reference"),
            ("components", "message_component"), ("flags", null), ("nonce", null), ("enforce_nonce", null), ("tts", null),
            ("sticker_ids", null), ("attachments", null), ("poll", null)),
        ["channel_message_edit"] = Kinds(
            ("content", null), ("embeds", "embed"), ("allowed_mentions", "allowed_mentions"), ("components", "message_component"),
            ("flags", null), ("attachments", null), ("sticker_ids", null)),
        ["webhook_message"] = Kinds(
            ("content", null), ("embeds", "embed"), ("allowed_mentions", "allowed_mentions"), ("components", "message_component"),
            ("flags", null), ("attachments", null), ("poll", null), ("tts", null), ("username", null), ("avatar_url", null),
            ("thread_name", null), ("applied_tags", null)),
        ["webhook_message_edit"] = Kinds(
            ("content", null), ("embeds", "embed"), ("allowed_mentions", "allowed_mentions"), ("components", "message_component"),
            ("flags", null), ("attachments", null), ("poll", null)),
        ["interaction_callback"] = Kinds(("type", null), ("data", null)),
        ["callback_message"] = Kinds(
            ("content", null), ("embeds", "embed"), ("allowed_mentions", "allowed_mentions"), ("components", "message_component"),
            ("flags", null), ("attachments", null), ("poll", null), ("tts", null)),
        ["callback_update"] = Kinds(
            ("content", null), ("embeds", "embed"), ("allowed_mentions", "allowed_mentions"), ("components", "message_component"),
            ("flags", null), ("attachments", null)),
        ["modal"] = Kinds(("custom_id", null), ("title", null), ("components", "modal_component")),
        ["command"] = Kinds(
            ("id", null), ("name", null), ("name_localizations", null), ("description", null), ("description_localizations", null),
            ("options", "command_option"), ("default_member_permissions", null), ("dm_permission", null), ("contexts", null),
            ("integration_types", null), ("type", null), ("nsfw", null), ("handler", null)),
        ["command_option"] = Kinds(
            ("type", null), ("name", null), ("name_localizations", null), ("description", null), ("description_localizations", null),
            ("required", null), ("choices", "command_choice"), ("options", "command_option"), ("channel_types", null),
            ("min_value", null), ("max_value", null), ("min_length", null), ("max_length", null), ("autocomplete", null)),
        ["command_choice"] = Kinds(("name", null), ("name_localizations", null), ("value", null)),
        ["allowed_mentions"] = Kinds(("parse", null), ("users", null), ("roles", null), ("replied_user", null)),
        ["message_reference"] = Kinds(("message_id", null), ("channel_id", null), ("guild_id", null), ("fail_if_not_exists", null), ("type", null)),
        ["embed"] = Kinds(
            ("title", null), ("type", null), ("description", null), ("url", null), ("timestamp", null), ("color", null),
            ("footer", "embed_footer"), ("image", "embed_media"), ("thumbnail", "embed_media"), ("video", "embed_media"),
            ("provider", "embed_provider"), ("author", "embed_author"), ("fields", "embed_field")),
        ["embed_field"] = Kinds(("name", null), ("value", null), ("inline", null)),
        ["embed_footer"] = Kinds(("text", null), ("icon_url", null)),
        ["embed_media"] = Kinds(("url", null), ("height", null), ("width", null)),
        ["embed_provider"] = Kinds(("name", null), ("url", null)),
        ["embed_author"] = Kinds(("name", null), ("url", null), ("icon_url", null)),
        ["action_row"] = Kinds(("type", null), ("id", null), ("components", "message_component")),
        ["button"] = Kinds(("type", null), ("id", null), ("style", null), ("label", null), ("emoji", "emoji"), ("custom_id", null), ("url", null), ("disabled", null), ("sku_id", null)),
        ["modal_row"] = Kinds(("type", null), ("id", null), ("components", "modal_component")),
        ["text_input"] = Kinds(
            ("type", null), ("id", null), ("custom_id", null), ("style", null), ("label", null), ("min_length", null),
            ("max_length", null), ("required", null), ("value", null), ("placeholder", null)),
        ["emoji"] = Kinds(("id", null), ("name", null), ("animated", null)),
    };

    // Spec path + method → the kind of its top-level body (for the property lists and the house rules).
    private static readonly Dictionary<(string Path, string Method), string> BodyKinds = new()
    {
        [("/channels/{channel_id}/messages", "post")] = "channel_message",
        [("/channels/{channel_id}/messages/{message_id}", "patch")] = "channel_message_edit",
        [("/interactions/{interaction_id}/{interaction_token}/callback", "post")] = "interaction_callback",
        [("/webhooks/{webhook_id}/{webhook_token}", "post")] = "webhook_message",
        [("/webhooks/{webhook_id}/{webhook_token}/messages/@original", "patch")] = "webhook_message_edit",
        [("/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}", "patch")] = "webhook_message_edit",
        [("/applications/{application_id}/commands", "put")] = "command",
        [("/applications/{application_id}/guilds/{guild_id}/commands", "put")] = "command",
    };

    /// <summary>Where the spec was read from.</summary>
    public static string SpecFile => Spec.Value.File;

    /// <summary>Fails the test, listing every problem, unless the request's body is valid for its path and method.</summary>
    public static void AssertValid(RecordedRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var report = Validate(request);
        if (!report.IsValid)
        {
            Assert.Fail($"The body of {request.Method} {request.Path} breaks Discord's schema or CaravanBot's rules:{Environment.NewLine}{report}{Environment.NewLine}Body: {request.Body}");
        }
    }

    /// <summary>Checks a recorded request.</summary>
    public static SchemaReport Validate(RecordedRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Validate(request.Method, request.Path, request.Body);
    }

    /// <summary>Checks a body for <paramref name="method"/> on <paramref name="path"/> (a full <c>/api/v10/…</c> path).</summary>
    public static SchemaReport Validate(string method, string path, string? body)
    {
        var spec = Spec.Value;
        var verb = method.ToLowerInvariant();
        var discord = new List<SchemaProblem>();
        var house = new List<SchemaProblem>();
        var apiPath = path.StartsWith(Prefix + "/", StringComparison.Ordinal) ? path[Prefix.Length..] : null;
        if (apiPath is null)
        {
            discord.Add(new SchemaProblem(string.Empty, $"The path is not under {Prefix}: the client lost the API version segment."));
            return new SchemaReport(method, path, null, discord, house);
        }

        var template = spec.PathTemplates
            .Where(t => RouteTemplate.Matches(t, apiPath))
            .OrderByDescending(RouteTemplate.Specificity)
            .FirstOrDefault();
        if (template is null || !spec.Document.RootElement.GetProperty("paths").GetProperty(template).TryGetProperty(verb, out var operation))
        {
            discord.Add(new SchemaProblem(string.Empty, template is null ? "No such path in Discord's API." : $"Discord's API has no {method} on this path."));
            return new SchemaReport(method, path, template, discord, house);
        }

        var hasBody = !string.IsNullOrEmpty(body);
        if (!operation.TryGetProperty("requestBody", out var requestBody))
        {
            if (hasBody)
            {
                discord.Add(new SchemaProblem(string.Empty, "This operation takes no body."));
            }

            return new SchemaReport(method, path, template, discord, house);
        }

        if (!hasBody)
        {
            if (requestBody.TryGetProperty("required", out var required) && required.ValueKind == JsonValueKind.True)
            {
                discord.Add(new SchemaProblem(string.Empty, "This operation needs a body."));
            }

            return new SchemaReport(method, path, template, discord, house);
        }

        JsonElement instance;
        try
        {
            using var parsed = JsonDocument.Parse(body!);
            instance = parsed.RootElement.Clone();
        }
        catch (JsonException e)
        {
            discord.Add(new SchemaProblem(string.Empty, $"Not JSON: {e.Message}"));
            return new SchemaReport(method, path, template, discord, house);
        }

        var schemaPointer = Pointer("paths", template, verb, "requestBody", "content", "application/json", "schema");
        discord.AddRange(EvaluateSpec(spec, schemaPointer, ResolveLocal(spec, schemaPointer), instance));

        if (BodyKinds.TryGetValue((template, verb), out var kind))
        {
            CheckBody(kind, instance, discord, house);
        }
        else
        {
            house.Add(new SchemaProblem(string.Empty, $"No property list for {method} {template}: add one to DiscordSchema before sending this body."));
        }

        return new SchemaReport(method, path, template, discord, house);
    }

    private static IEnumerable<SchemaProblem> EvaluateSpec(LoadedSpec spec, string pointer, JsonElement schema, JsonElement instance)
    {
        // Discord's unions ("anyOf" marked x-discord-union: oneOf) are discriminated by "type": the
        // branch whose type enum holds the body's type is the one the body must satisfy. Checking
        // just that branch gives exact oneOf semantics and errors about the right schema.
        var union = schema.TryGetProperty("anyOf", out var anyOf) ? anyOf : schema.TryGetProperty("oneOf", out var oneOf) ? oneOf : default;
        if (union.ValueKind == JsonValueKind.Array
            && instance.ValueKind == JsonValueKind.Object
            && instance.TryGetProperty("type", out var typeValue)
            && typeValue.TryGetInt32(out var type))
        {
            var branches = union.EnumerateArray()
                .Where(b => b.TryGetProperty("$ref", out _))
                .Select(b => b.GetProperty("$ref").GetString()!)
                .ToList();
            var discriminated = branches.Where(r => TypeEnum(ResolveLocal(spec, r)) is not null).ToList();
            if (discriminated.Count == branches.Count && discriminated.Count > 0)
            {
                var match = discriminated.FirstOrDefault(r => TypeEnum(ResolveLocal(spec, r))!.Contains(type));
                if (match is null)
                {
                    return [new SchemaProblem("/type", $"type {type} matches none of {string.Join(", ", discriminated.Select(r => r[(r.LastIndexOf('/') + 1)..]))}.")];
                }

                return Evaluate(spec, match, instance);
            }
        }

        return Evaluate(spec, pointer, instance);
    }

    private static List<SchemaProblem> Evaluate(LoadedSpec spec, string pointer, JsonElement instance)
    {
        var schema = spec.Schemas.GetOrAdd(pointer, p => spec.Build(p));
        EvaluationResults results;
        lock (Gate)
        {
            results = schema.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });
        }

        if (results.IsValid)
        {
            return [];
        }

        var problems = new List<SchemaProblem>();
        foreach (var node in new[] { results }.Concat(results.Details ?? []))
        {
            foreach (var error in node.Errors ?? [])
            {
                problems.Add(new SchemaProblem(node.InstanceLocation.ToString(), $"{error.Key}: {error.Value}"));
            }
        }

        return problems.Count > 0 ? problems.Distinct().ToList() : [new SchemaProblem(string.Empty, "Invalid against " + pointer)];
    }

    private static void CheckBody(string kind, JsonElement body, List<SchemaProblem> discord, List<SchemaProblem> house)
    {
        switch (kind)
        {
            case "command":
                if (body.ValueKind == JsonValueKind.Array)
                {
                    var i = 0;
                    foreach (var command in body.EnumerateArray())
                    {
                        CheckProperties("command", command, $"/{i++}", house);
                    }
                }

                return;

            case "interaction_callback":
                CheckProperties(kind, body, string.Empty, house);
                if (!body.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object || !body.TryGetProperty("type", out var typeValue))
                {
                    return;
                }

                var dataKind = typeValue.TryGetInt32(out var type) ? type switch
                {
                    4 or 5 => "callback_message",
                    6 or 7 => "callback_update",
                    9 => "modal",
                    _ => null,
                } : null;
                if (dataKind is null)
                {
                    house.Add(new SchemaProblem("/data", $"No property list for the data of callback type {typeValue}."));
                    return;
                }

                CheckProperties(dataKind, data, "/data", house);
                if (dataKind != "modal")
                {
                    CheckMessage(data, "/data", discord, house);
                }

                return;

            default:
                CheckProperties(kind, body, string.Empty, house);
                CheckMessage(body, string.Empty, discord, house);
                return;
        }
    }

    /// <summary>The rules of every message body: content within the bot limit, and no pings at all.</summary>
    private static void CheckMessage(JsonElement message, string location, List<SchemaProblem> discord, List<SchemaProblem> house)
    {
        if (message.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String && content.GetString()!.Length > 2000)
        {
            discord.Add(new SchemaProblem($"{location}/content", $"{content.GetString()!.Length} characters; Discord allows bots 2000 (BASE_TYPE_MAX_LENGTH)."));
        }

        if (!message.TryGetProperty("allowed_mentions", out var mentions) || mentions.ValueKind != JsonValueKind.Object)
        {
            house.Add(new SchemaProblem($"{location}/allowed_mentions", "Missing: every message must carry allowed_mentions with parse [] so nobody is pinged."));
            return;
        }

        if (!mentions.TryGetProperty("parse", out var parse) || parse.ValueKind != JsonValueKind.Array || parse.GetArrayLength() != 0)
        {
            house.Add(new SchemaProblem($"{location}/allowed_mentions/parse", $"Must be [] (is {(parse.ValueKind == JsonValueKind.Undefined ? "absent" : parse.GetRawText())})."));
        }

        foreach (var list in new[] { "users", "roles" })
        {
            if (mentions.TryGetProperty(list, out var ids) && ids.ValueKind == JsonValueKind.Array && ids.GetArrayLength() > 0)
            {
                house.Add(new SchemaProblem($"{location}/allowed_mentions/{list}", "CaravanBot never pings anyone."));
            }
        }

        if (message.TryGetProperty("message_reference", out var reference) && reference.ValueKind == JsonValueKind.Object
            && !(mentions.TryGetProperty("replied_user", out var replied) && replied.ValueKind == JsonValueKind.False))
        {
            house.Add(new SchemaProblem($"{location}/allowed_mentions/replied_user", "A reply must set replied_user to false."));
        }
    }

    private static void CheckProperties(string kind, JsonElement value, string location, List<SchemaProblem> house)
    {
        if (value.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var item in value.EnumerateArray())
            {
                CheckProperties(kind, item, $"{location}/{i++}", house);
            }

            return;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        kind = kind switch
        {
            "message_component" => ComponentKind(value, 1, "action_row", 2, "button"),
            "modal_component" => ComponentKind(value, 1, "modal_row", 4, "text_input"),
            _ => kind,
        };
        if (!Shapes.TryGetValue(kind, out var known))
        {
            house.Add(new SchemaProblem(location, $"A component of type {(value.TryGetProperty("type", out var t) ? t.GetRawText() : "(none)")} is not expected here."));
            return;
        }

        foreach (var property in value.EnumerateObject())
        {
            if (!known.TryGetValue(property.Name, out var childKind))
            {
                house.Add(new SchemaProblem($"{location}/{property.Name}", $"Unknown property \"{property.Name}\" for a {kind} (misspelt? Discord ignores unknown names silently)."));
            }
            else if (childKind is not null)
            {
                CheckProperties(childKind, property.Value, $"{location}/{property.Name}", house);
            }
        }
    }

    private static string ComponentKind(JsonElement component, int firstType, string firstKind, int secondType, string secondKind) =>
        component.TryGetProperty("type", out var type) && type.TryGetInt32(out var value)
            ? value == firstType ? firstKind : value == secondType ? secondKind : "unexpected_component"
            : "unexpected_component";

    private static Dictionary<string, string?> Kinds(params (string Name, string? Kind)[] properties) =>
        properties.ToDictionary(p => p.Name, p => p.Kind, StringComparer.Ordinal);

    private static HashSet<int>? TypeEnum(JsonElement schema) =>
        schema.TryGetProperty("properties", out var properties)
        && properties.TryGetProperty("type", out var type)
        && type.TryGetProperty("enum", out var values)
            ? values.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.Number).Select(v => v.GetInt32()).ToHashSet()
            : null;

    /// <summary>Follows a local pointer (<c>#/components/…</c>, escaped or not) into the raw spec.</summary>
    private static JsonElement ResolveLocal(LoadedSpec spec, string pointer)
    {
        var element = spec.Document.RootElement;
        foreach (var token in pointer.TrimStart('#').Trim('/').Split('/'))
        {
            var name = Uri.UnescapeDataString(token).Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            element = element.GetProperty(name);
        }

        return element;
    }

    /// <summary>A URI fragment pointer: each token JSON-pointer-escaped (~0, ~1), then percent-encoded ({, }, @).</summary>
    private static string Pointer(params string[] tokens) =>
        "#/" + string.Join('/', tokens.Select(t => Uri.EscapeDataString(t.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal))));

    private static LoadedSpec Load()
    {
        var file = FindSpecFile();
        var document = JsonDocument.Parse(File.ReadAllText(file));
        var registry = new SchemaRegistry();
        registry.Register(SpecUri, new JsonElementBaseDocument(document.RootElement, SpecUri));

        // 2020-12, which (in JsonSchema.Net) tolerates unknown keywords such as x-discord-union.
        var options = new BuildOptions { SchemaRegistry = registry, Dialect = Dialect.Draft202012 };
        var templates = document.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        return new LoadedSpec(file, document, options, templates);
    }

    private static string FindSpecFile()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "CaravanBot.sln")))
            {
                var file = Path.GetFullPath(Path.Combine(directory.FullName, "..", "shared", "discord", "openapi.json"));
                return File.Exists(file)
                    ? file
                    : throw new FileNotFoundException($"Discord's OpenAPI description is missing: expected {file} (the shared folder next to the repository, see shared/discord/README.md).", file);
            }
        }

        throw new DirectoryNotFoundException($"No folder above {AppContext.BaseDirectory} holds CaravanBot.sln, so ../shared/discord/openapi.json cannot be found.");
    }

    private sealed class LoadedSpec
    {
        private readonly BuildOptions _options;
        private int _built;

        public LoadedSpec(string file, JsonDocument document, BuildOptions options, IReadOnlyList<string> pathTemplates)
        {
            File = file;
            Document = document;
            PathTemplates = pathTemplates;
            _options = options;
        }

        public string File { get; }

        public JsonDocument Document { get; }

        public IReadOnlyList<string> PathTemplates { get; }

        public ConcurrentDictionary<string, JsonSchema> Schemas { get; } = new(StringComparer.Ordinal);

        /// <summary>A schema that is just a $ref into the registered spec, so its internal refs resolve.</summary>
        public JsonSchema Build(string pointer)
        {
            lock (Gate)
            {
                var uri = new Uri(string.Create(CultureInfo.InvariantCulture, $"https://discord.test/check/{++_built}"));
                return JsonSchema.FromText($$"""{"$ref": "{{SpecUri}}{{pointer}}"}""", _options, uri);
            }
        }
    }
}
