using System.Buffers;
using System.Text.Json;
using CaravanBot.Bot.Discord;
using CaravanBot.Bot.Discord.Interactions;
using CaravanBot.Bot.Discord.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CaravanBot.Bot.Hosting;

/// <summary>
/// <c>POST /interactions</c>, Discord's HTTP interactions endpoint. In this order, so that nothing a caller sends is
/// parsed before it is known to be Discord's: the signature headers (present, well formed, the timestamp within
/// <see cref="InteractionsEndpointOptions.SignatureWindow"/>), the body's size (bounded, 413 past
/// <see cref="InteractionsEndpointOptions.MaxBodyBytes"/>), the Ed25519 signature over timestamp and raw body with
/// <see cref="DiscordOptions.PublicKey"/> (401 when anything fails), then the JSON. PING is answered with PONG; any
/// other interaction goes to <see cref="HttpInteractionService"/> (the same router and features as the gateway) and is
/// acknowledged with 202, its answer following through the interaction callback and webhook routes.
/// </summary>
public sealed partial class InteractionsEndpoint
{
    private static readonly byte[] Pong = """{"type":1}"""u8.ToArray();

    private readonly InteractionSignature _signature;
    private readonly InteractionsEndpointOptions _options;
    private readonly HttpInteractionService _service;
    private readonly TimeProvider _time;
    private readonly ILogger<InteractionsEndpoint> _logger;

    /// <summary>Creates the endpoint.</summary>
    /// <exception cref="InvalidOperationException">No <c>Discord:PublicKey</c> is configured.</exception>
    public InteractionsEndpoint(
        IOptions<DiscordOptions> discord,
        IOptions<InteractionsEndpointOptions> options,
        HttpInteractionService service,
        TimeProvider time,
        ILogger<InteractionsEndpoint> logger)
    {
        var publicKey = discord.Value.PublicKey;
        if (string.IsNullOrWhiteSpace(publicKey))
        {
            throw new InvalidOperationException(MissingPublicKey);
        }

        _signature = new InteractionSignature(publicKey);
        _options = options.Value;
        _service = service;
        _time = time;
        _logger = logger;
    }

    /// <summary>The start-up message when the public key is not set.</summary>
    public const string MissingPublicKey = "Discord:PublicKey is missing: set Discord__PublicKey to the application's public key (General Information in the developer portal); serve cannot check Discord's signatures without it.";

    /// <summary>Handles one request to <c>POST /interactions</c>.</summary>
    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var receivedAt = _time.GetTimestamp();
        var request = context.Request;
        var timestamp = request.Headers["X-Signature-Timestamp"].ToString();
        var check = InteractionSignature.CheckHeaders(request.Headers["X-Signature-Ed25519"].ToString(), timestamp, _time.GetUtcNow(), _options.SignatureWindow, out var signature);
        if (check != SignatureCheck.Valid)
        {
            LogRefused(check);
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        if (request.ContentLength > _options.MaxBodyBytes)
        {
            LogTooLarge(request.ContentLength.Value, _options.MaxBodyBytes);
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = _options.MaxBodyBytes;
        }

        var body = await ReadBodyAsync(request, context.RequestAborted).ConfigureAwait(false);
        if (body is null)
        {
            LogTooLarge(-1, _options.MaxBodyBytes);
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return;
        }

        if (!_signature.Verify(signature, timestamp, body))
        {
            LogRefused(SignatureCheck.Invalid);
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        Interaction? interaction;
        try
        {
            interaction = JsonSerializer.Deserialize<Interaction>(body, DiscordJson.Options);
        }
        catch (JsonException ex)
        {
            LogMalformed(ex.Message);
            interaction = null;
        }

        if (interaction is null)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        if (interaction.Type == InteractionType.Ping)
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/json";
            await context.Response.Body.WriteAsync(Pong, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        // The answer goes out through the callback route, as on the gateway path; Discord takes 202 for "it follows".
        context.Response.StatusCode = _service.Dispatch(interaction, receivedAt) ? StatusCodes.Status202Accepted : StatusCodes.Status503ServiceUnavailable;
    }

    /// <summary>The whole body, or null when it is longer than the limit (reading stops there).</summary>
    private async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        try
        {
            while (true)
            {
                var memory = buffer.GetMemory(4096);
                var read = await request.Body.ReadAsync(memory, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return buffer.WrittenSpan.ToArray();
                }

                buffer.Advance(read);
                if (buffer.WrittenCount > _options.MaxBodyBytes)
                {
                    return null;
                }
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a request to /interactions: signature {Check}")]
    private partial void LogRefused(SignatureCheck check);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a request to /interactions: body of {Length} bytes over the {Limit}-byte limit (-1: no length given)")]
    private partial void LogTooLarge(long length, int limit);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A signed request to /interactions is not an interaction: {Problem}")]
    private partial void LogMalformed(string problem);
}
