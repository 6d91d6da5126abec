using System.Buffers;
using System.Globalization;
using System.Text;
using NSec.Cryptography;

namespace CaravanBot.Bot.Discord.Interactions;

/// <summary>What <see cref="InteractionSignature"/> found in a request.</summary>
public enum SignatureCheck
{
    /// <summary>The signature is Discord's, over this timestamp and body.</summary>
    Valid,

    /// <summary><c>X-Signature-Ed25519</c> or <c>X-Signature-Timestamp</c> is missing.</summary>
    Missing,

    /// <summary>The signature is not 64 bytes of hex, or the timestamp not Unix seconds.</summary>
    Malformed,

    /// <summary>The timestamp is further from now than the allowed window: a replay, or a clock far off.</summary>
    Stale,

    /// <summary>The signature does not verify with the application's public key.</summary>
    Invalid,
}

/// <summary>
/// Verifies the Ed25519 signature Discord puts on every request to an HTTP interactions endpoint:
/// <c>X-Signature-Ed25519</c> (hex) over the bytes of <c>X-Signature-Timestamp</c> followed by the raw body, with the
/// application's public key (NSec, on libsodium). The headers are checked first (<see cref="CheckHeaders"/>, including
/// the timestamp's age), so nothing of the body is read for a request that cannot be Discord's.
/// </summary>
public sealed class InteractionSignature
{
    private const int SignatureBytes = 64;
    private const int PublicKeyBytes = 32;

    private static readonly SignatureAlgorithm Ed25519 = SignatureAlgorithm.Ed25519;

    private readonly PublicKey _publicKey;

    /// <summary>Creates the verifier for the application's public key (64 hex digits, as the developer portal shows it).</summary>
    /// <exception cref="FormatException">The key is not 32 bytes of hex, or not an Ed25519 public key.</exception>
    public InteractionSignature(string publicKeyHex)
    {
        if (!TryImport(publicKeyHex, out var key))
        {
            throw new FormatException("The public key must be 64 hexadecimal digits: the application's public key from the developer portal.");
        }

        _publicKey = key;
    }

    /// <summary>Whether <paramref name="publicKeyHex"/> is an Ed25519 public key written as 64 hex digits.</summary>
    public static bool IsPublicKey(string publicKeyHex) => TryImport(publicKeyHex, out _);

    /// <summary>
    /// Checks the two headers before the body is read: both present, the signature 64 bytes of hex, the timestamp Unix
    /// seconds within <paramref name="window"/> of <paramref name="now"/> (either way: a replayed request is old, a
    /// forged one may claim the future). On <see cref="SignatureCheck.Valid"/>, <paramref name="signature"/> holds the bytes.
    /// </summary>
    public static SignatureCheck CheckHeaders(string? signatureHex, string? timestamp, DateTimeOffset now, TimeSpan window, out byte[] signature)
    {
        signature = [];
        if (string.IsNullOrEmpty(signatureHex) || string.IsNullOrEmpty(timestamp))
        {
            return SignatureCheck.Missing;
        }

        if (signatureHex.Length != SignatureBytes * 2 || !TryFromHex(signatureHex, out signature)
            || timestamp.Length > 19 || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            signature = [];
            return SignatureCheck.Malformed;
        }

        var age = now.ToUnixTimeSeconds() - seconds;
        return Math.Abs((double)age) > window.TotalSeconds ? SignatureCheck.Stale : SignatureCheck.Valid;
    }

    /// <summary>Whether <paramref name="signature"/> signs <paramref name="timestamp"/> followed by <paramref name="body"/>.</summary>
    public bool Verify(ReadOnlySpan<byte> signature, string timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(timestamp);
        if (signature.Length != SignatureBytes)
        {
            return false;
        }

        var timestampLength = Encoding.ASCII.GetByteCount(timestamp);
        var signed = ArrayPool<byte>.Shared.Rent(timestampLength + body.Length);
        try
        {
            Encoding.ASCII.GetBytes(timestamp, signed);
            body.CopyTo(signed.AsSpan(timestampLength));
            return Ed25519.Verify(_publicKey, signed.AsSpan(0, timestampLength + body.Length), signature);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(signed);
        }
    }

    private static bool TryImport(string? hex, out PublicKey key)
    {
        key = null!;
        if (hex is null || hex.Length != PublicKeyBytes * 2 || !TryFromHex(hex, out var bytes))
        {
            return false;
        }

        return PublicKey.TryImport(Ed25519, bytes, KeyBlobFormat.RawPublicKey, out key!);
    }

    private static bool TryFromHex(string hex, out byte[] bytes)
    {
        try
        {
            bytes = Convert.FromHexString(hex);
            return true;
        }
        catch (FormatException)
        {
            bytes = [];
            return false;
        }
    }
}
