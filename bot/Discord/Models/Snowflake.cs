using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CaravanBot.Bot.Discord.Models;

/// <summary>A Discord id: a 64-bit number sent as a JSON string.</summary>
[JsonConverter(typeof(SnowflakeJsonConverter))]
public readonly record struct Snowflake(ulong Value)
{
    /// <summary>The decimal form Discord uses in URLs and JSON.</summary>
    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Parses a decimal id.</summary>
    public static Snowflake Parse(string text) => new(ulong.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture));

    /// <summary>Implicit conversion from a raw id.</summary>
    public static implicit operator Snowflake(ulong value) => new(value);
}

/// <summary>Reads a snowflake from a string (or a number) and always writes a string.</summary>
public sealed class SnowflakeJsonConverter : JsonConverter<Snowflake>
{
    /// <inheritdoc />
    public override Snowflake Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.String => Snowflake.Parse(reader.GetString()!),
            JsonTokenType.Number => new Snowflake(reader.GetUInt64()),
            _ => throw new JsonException($"A snowflake must be a string, not {reader.TokenType}."),
        };

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, Snowflake value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}
