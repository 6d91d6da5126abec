using System.Buffers;
using System.Text.Json;
using CaravanBot.Bot.Discord.Models;

namespace CaravanBot.Bot.Discord.Gateway;

/// <summary>
/// Writes the payloads the client sends, as UTF-8 JSON <c>{"op": …, "d": …}</c>. The token only ever
/// exists inside the bytes of IDENTIFY and RESUME, which nothing logs.
/// </summary>
internal static class GatewayPayloads
{
    /// <summary>op 1 with the last sequence number, or null before the first dispatch.</summary>
    public static byte[] Heartbeat(long? sequence) => Write(GatewayOpcode.Heartbeat, writer =>
    {
        if (sequence is { } s)
        {
            writer.WriteNumberValue(s);
        }
        else
        {
            writer.WriteNullValue();
        }
    });

    /// <summary>op 2 {token, intents, properties {os, browser, device}, shard [id, count]}.</summary>
    public static byte[] Identify(string token, GatewayIntents intents, GatewayClientOptions options, GatewayShard shard) => Write(GatewayOpcode.Identify, writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("token", token);
        writer.WriteNumber("intents", (int)intents);
        writer.WriteStartArray("shard");
        writer.WriteNumberValue(shard.Id);
        writer.WriteNumberValue(shard.Count);
        writer.WriteEndArray();
        writer.WriteStartObject("properties");
        writer.WriteString("os", options.Os);
        writer.WriteString("browser", options.Browser);
        writer.WriteString("device", options.Device);
        writer.WriteEndObject();
        writer.WriteEndObject();
    });

    /// <summary>op 6 {token, session_id, seq}.</summary>
    public static byte[] Resume(string token, string sessionId, long sequence) => Write(GatewayOpcode.Resume, writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("token", token);
        writer.WriteString("session_id", sessionId);
        writer.WriteNumber("seq", sequence);
        writer.WriteEndObject();
    });

    /// <summary>Any other command, its data serialised with Discord's JSON conventions.</summary>
    public static byte[] Command(int opcode, object? data) => Write(opcode, writer =>
    {
        if (data is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            JsonSerializer.Serialize(writer, data, data.GetType(), DiscordJson.Options);
        }
    });

    private static byte[] Write(int opcode, Action<Utf8JsonWriter> writeData)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("op", opcode);
            writer.WritePropertyName("d");
            writeData(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
