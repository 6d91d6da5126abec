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

/// <summary>
/// Reads a list of snowflakes, skipping entries that are not ids (an object, a bad string): a field the bot barely
/// uses must not make a whole message unreadable. Writes every entry as a string.
/// </summary>
public sealed class LenientSnowflakeListConverter : JsonConverter<IReadOnlyList<Snowflake>>
{
    /// <inheritdoc />
    public override IReadOnlyList<Snowflake> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return [];
        }

        var ids = new List<Snowflake>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.String when ulong.TryParse(reader.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var id):
                    ids.Add(new Snowflake(id));
                    break;
                case JsonTokenType.Number when reader.TryGetUInt64(out var number):
                    ids.Add(new Snowflake(number));
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        return ids;
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, IReadOnlyList<Snowflake> value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartArray();
        foreach (var id in value)
        {
            writer.WriteStringValue(id.ToString());
        }

        writer.WriteEndArray();
    }
}
