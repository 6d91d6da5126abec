using System.Globalization;
using System.Text.Json;

namespace CaravanBot.FakeDiscord;

/// <summary>
/// A scripted answer of <see cref="FakeRestServer"/>. <see cref="Default"/> means "do what Discord would
/// do" (store the message, echo it with ids, add rate-limit headers), optionally with extra headers, a
/// delay, or a different status after the work is done (a lost response); the other factories answer
/// a fixed status and body without touching the server's state.
/// </summary>
public sealed record FakeResponse
{
    /// <summary>Status: the fixed status, or for <see cref="UseDefaultHandling"/> the status sent after the work was done.</summary>
    public int? Status { get; init; }

    /// <summary>Fixed JSON body (null: none).</summary>
    public string? Body { get; init; }

    /// <summary>Headers added to (and overriding) the response's.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Wait before answering (the request is recorded at once).</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>Handle the request as Discord would.</summary>
    public bool UseDefaultHandling { get; init; }

    /// <summary>Drop the connection without an answer (a network error for the client).</summary>
    public bool AbortConnection { get; init; }

    /// <summary>Rewrites the body after the work is done (a success whose answer arrives mangled).</summary>
    public Func<string, string>? RewriteBody { get; init; }

    /// <summary>Discord's normal answer.</summary>
    public static FakeResponse Default { get; } = new() { UseDefaultHandling = true };

    /// <summary>Any status with a JSON body.</summary>
    public static FakeResponse Json(int status, object? body) =>
        new() { Status = status, Body = body is null ? null : JsonSerializer.Serialize(body) };

    /// <summary>
    /// A 429 as Discord sends it: <c>{"message", "retry_after", "global"}</c>, <c>Retry-After</c> (whole
    /// seconds, rounded up), the bucket headers with Remaining 0, the scope, and <c>X-RateLimit-Global</c>
    /// when global. With <paramref name="retryAfterInBody"/> false only the headers say how long.
    /// </summary>
    public static FakeResponse RateLimited(double retryAfter, bool global = false, string scope = "user", bool retryAfterInBody = true)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["Retry-After"] = Math.Ceiling(retryAfter).ToString(CultureInfo.InvariantCulture),
            ["X-RateLimit-Scope"] = global ? "global" : scope,
        };
        if (global)
        {
            headers["X-RateLimit-Global"] = "true";
        }
        else
        {
            headers["X-RateLimit-Limit"] = "5";
            headers["X-RateLimit-Remaining"] = "0";
            headers["X-RateLimit-Reset-After"] = retryAfter.ToString("0.000", CultureInfo.InvariantCulture);
            headers["X-RateLimit-Reset"] = (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0 + retryAfter).ToString("0.000", CultureInfo.InvariantCulture);
        }

        var body = retryAfterInBody
            ? JsonSerializer.Serialize(new Dictionary<string, object> { ["message"] = "You are being rate limited.", ["retry_after"] = retryAfter, ["global"] = global, ["code"] = 0 })
            : null;
        return new FakeResponse { Status = 429, Body = body, Headers = headers };
    }

    /// <summary>A 5xx as Discord's edge sends it.</summary>
    public static FakeResponse ServerError(int status = 502) =>
        Json(status, new { message = $"{status}: {ReasonOf(status)}", code = 0 });

    /// <summary>401: the token is wrong.</summary>
    public static FakeResponse Unauthorized() => Json(401, new { message = "401: Unauthorized", code = 0 });

    /// <summary>403 with Discord's code (50013 Missing Permissions, 50001 Missing Access).</summary>
    public static FakeResponse Forbidden(int code = 50013, string message = "Missing Permissions") => Json(403, new { message, code });

    /// <summary>Any Discord error body: <c>{"code", "message", "errors"?}</c>.</summary>
    public static FakeResponse DiscordError(int status, int code, string message, object? errors = null) =>
        errors is null ? Json(status, new { code, message }) : Json(status, new { code, errors, message });

    /// <summary>400 50035 Invalid Form Body with one field error in Discord's nested <c>_errors</c> format (path like <c>embeds.0.title</c>).</summary>
    public static FakeResponse InvalidFormBody(string fieldPath, string errorCode, string errorMessage)
    {
        object node = new Dictionary<string, object> { ["_errors"] = new[] { new { code = errorCode, message = errorMessage } } };
        foreach (var segment in fieldPath.Split('.').Reverse())
        {
            node = new Dictionary<string, object> { [segment] = node };
        }

        return DiscordError(400, 50035, "Invalid Form Body", node);
    }

    /// <summary>Closes the connection without answering.</summary>
    public static FakeResponse Abort() => new() { AbortConnection = true };

    /// <summary>Any status with a body taken as it is, JSON or not (an edge proxy's HTML, a cut-off answer).</summary>
    public static FakeResponse Raw(int status, string body) => new() { Status = status, Body = body };

    /// <summary>This response with the last <paramref name="characters"/> characters of its body cut off (the JSON breaks off).</summary>
    public FakeResponse CutShort(int characters) =>
        Then(body => body.Length <= characters ? string.Empty : body[..^characters]);

    /// <summary>This response with one top-level property of its JSON body set to <paramref name="json"/> (raw JSON text).</summary>
    public FakeResponse WithBodyProperty(string name, string json) =>
        Then(body =>
        {
            var node = System.Text.Json.Nodes.JsonNode.Parse(body)!.AsObject();
            node[name] = System.Text.Json.Nodes.JsonNode.Parse(json);
            return node.ToJsonString();
        });

    /// <summary>This response with <paramref name="rewrite"/> applied to its body after any earlier rewrite.</summary>
    public FakeResponse Then(Func<string, string> rewrite)
    {
        var earlier = RewriteBody;
        return this with { RewriteBody = earlier is null ? rewrite : body => rewrite(earlier(body)) };
    }

    /// <summary>This response with its JSON body grown past <paramref name="bytes"/> by a padding property.</summary>
    public FakeResponse PaddedTo(int bytes) => WithBodyProperty("padding", JsonSerializer.Serialize(new string('x', bytes)));

    /// <summary>This response with one more header.</summary>
    public FakeResponse WithHeader(string name, string value) =>
        this with { Headers = new Dictionary<string, string>(Headers, StringComparer.OrdinalIgnoreCase) { [name] = value } };

    /// <summary>This response with bucket headers (Limit, Remaining, Reset-After, Reset, Bucket).</summary>
    public FakeResponse WithRateLimit(int limit, int remaining, double resetAfter, string bucket = "scripted-bucket") =>
        WithHeader("X-RateLimit-Limit", limit.ToString(CultureInfo.InvariantCulture))
            .WithHeader("X-RateLimit-Remaining", remaining.ToString(CultureInfo.InvariantCulture))
            .WithHeader("X-RateLimit-Reset-After", resetAfter.ToString("0.000", CultureInfo.InvariantCulture))
            .WithHeader("X-RateLimit-Reset", (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0 + resetAfter).ToString("0.000", CultureInfo.InvariantCulture))
            .WithHeader("X-RateLimit-Bucket", bucket);

    /// <summary>This response after a delay.</summary>
    public FakeResponse After(TimeSpan delay) => this with { Delay = delay };

    internal static string ReasonOf(int status) => status switch
    {
        200 => "OK",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Error",
    };
}

/// <summary>Scripted answers for one method and path template; see <see cref="FakeRestServer.On"/>.</summary>
public sealed class FakeRouteScript
{
    private readonly Lock _lock = new();
    private readonly Queue<FakeResponse> _queue = new();
    private FakeResponse? _always;

    internal FakeRouteScript(string method, string template)
    {
        Method = method.ToUpperInvariant();
        Template = template;
    }

    /// <summary>The method scripted.</summary>
    public string Method { get; }

    /// <summary>The API path template (below <c>/api/v10</c>), e.g. <c>/channels/{channel_id}/messages</c> or a concrete path.</summary>
    public string Template { get; }

    /// <summary>How many requests this script has answered.</summary>
    public int Served { get; private set; }

    /// <summary>Answers the next matching requests with these, one each, in order; afterwards the server's default applies.</summary>
    public FakeRouteScript Respond(params FakeResponse[] responses)
    {
        lock (_lock)
        {
            foreach (var response in responses)
            {
                _queue.Enqueue(response);
            }
        }

        return this;
    }

    /// <summary>Answers every matching request (after any queued ones) with <paramref name="response"/>.</summary>
    public FakeRouteScript RespondAlways(FakeResponse response)
    {
        lock (_lock)
        {
            _always = response;
        }

        return this;
    }

    internal bool Matches(string method, string apiPath) =>
        string.Equals(method, Method, StringComparison.OrdinalIgnoreCase) && RouteTemplate.Matches(Template, apiPath);

    internal FakeResponse? Next()
    {
        lock (_lock)
        {
            var next = _queue.Count > 0 ? _queue.Dequeue() : _always;
            if (next is not null)
            {
                Served++;
            }

            return next;
        }
    }
}
