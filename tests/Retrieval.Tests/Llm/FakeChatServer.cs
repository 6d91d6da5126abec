using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace CaravanBot.Retrieval.Tests.Llm;

/// <summary>A recorded reply of the fake server: status, body and how long to wait before sending it.</summary>
public sealed record FakeChatReply(int Status, string Body, TimeSpan Delay = default)
{
    /// <summary>A 200 chat.completion whose assistant message content is <paramref name="content"/>.</summary>
    public static FakeChatReply Completion(string content) => new(200, JsonSerializer.Serialize(new
    {
        id = "chatcmpl-test",
        @object = "chat.completion",
        created = 1735171200,
        model = "test-model",
        choices = new[]
        {
            new { index = 0, message = new { role = "assistant", content }, finish_reason = "stop" },
        },
        usage = new { prompt_tokens = 900, completion_tokens = 60, total_tokens = 960 },
    }));

    /// <summary>A completion whose content is the JSON of <paramref name="reply"/>.</summary>
    public static FakeChatReply Json(object reply) => Completion(JsonSerializer.Serialize(reply));
}

/// <summary>One request the fake server received.</summary>
public sealed record RecordedRequest(string Method, string Path, string? Authorization, string Body)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;
}

/// <summary>
/// An OpenAI-compatible chat completions server on 127.0.0.1, answering every request with the reply
/// the test set, and recording what Semantic Kernel sent.
/// </summary>
public sealed class FakeChatServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _disposed;

    public FakeChatServer()
    {
        Port = FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public int Port { get; }

    /// <summary>The base URL to configure as Llm:Endpoint.</summary>
    public Uri Endpoint => new($"http://127.0.0.1:{Port}/v1");

    public FakeChatReply Reply { get; set; } = FakeChatReply.Completion("{}");

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or OperationCanceledException)
        {
        }

        _listener.Close();
        _stop.Dispose();
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }

            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        try
        {
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            Requests.Enqueue(new RecordedRequest(context.Request.HttpMethod, context.Request.Url!.AbsolutePath, context.Request.Headers["Authorization"], body));
            var reply = Reply;
            if (reply.Delay > TimeSpan.Zero)
            {
                await Task.Delay(reply.Delay, _stop.Token);
            }

            var bytes = Encoding.UTF8.GetBytes(reply.Body);
            context.Response.StatusCode = reply.Status;
            context.Response.ContentType = "application/json";
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes, _stop.Token);
            context.Response.Close();
        }
        catch (Exception ex) when (ex is HttpListenerException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            // The client gave up (timeout tests) or the server is stopping.
        }
    }
}
