using System.Runtime.InteropServices;

namespace CaravanBot.Bot.Cli;

/// <summary>What is at a path, as the file system says (a symbolic link is not followed).</summary>
internal enum LocalFileKind
{
    /// <summary>Nothing.</summary>
    Missing,

    /// <summary>A regular file.</summary>
    Regular,

    /// <summary>A folder.</summary>
    Directory,

    /// <summary>A symbolic link (to anything).</summary>
    SymbolicLink,

    /// <summary>A named pipe (FIFO), a device, a socket.</summary>
    Special,
}

/// <summary>
/// The file type and identity .NET does not tell: a FIFO, <c>/dev/full</c> and a regular file all look
/// "Normal" to <see cref="FileInfo"/>. On Linux this asks the kernel with <c>statx</c> (whose layout is
/// the same on every architecture); elsewhere it falls back to what .NET knows.
/// </summary>
internal static partial class LocalFile
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxType = 0x1;
    private const uint StatxIno = 0x100;
    private const int StatxSize = 256;
    private const int ModeOffset = 28;
    private const int InodeOffset = 32;
    private const int DeviceMajorOffset = 136;
    private const int DeviceMinorOffset = 140;

    /// <summary>What is at <paramref name="path"/>, not following a final symbolic link.</summary>
    public static LocalFileKind KindOf(string path)
    {
        if (Stat(path, followLinks: false) is { } buffer)
        {
            return (BitConverter.ToUInt16(buffer, ModeOffset) & 0xF000) switch
            {
                0x8000 => LocalFileKind.Regular,
                0x4000 => LocalFileKind.Directory,
                0xA000 => LocalFileKind.SymbolicLink,
                _ => LocalFileKind.Special,
            };
        }

        var info = new FileInfo(path);
        if (info.LinkTarget is not null)
        {
            return LocalFileKind.SymbolicLink;
        }

        return Directory.Exists(path) ? LocalFileKind.Directory : info.Exists ? LocalFileKind.Regular : LocalFileKind.Missing;
    }

    /// <summary>True when both paths lead to the same file (links followed; hard links count).</summary>
    public static bool SameFile(string first, string second)
    {
        if (Stat(first, followLinks: true) is { } a && Stat(second, followLinks: true) is { } b)
        {
            return BitConverter.ToUInt64(a, InodeOffset) == BitConverter.ToUInt64(b, InodeOffset)
                && BitConverter.ToUInt32(a, DeviceMajorOffset) == BitConverter.ToUInt32(b, DeviceMajorOffset)
                && BitConverter.ToUInt32(a, DeviceMinorOffset) == BitConverter.ToUInt32(b, DeviceMinorOffset);
        }

        static string Resolve(string path) => new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetFullPath(path);
        return string.Equals(Resolve(first), Resolve(second), OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
    }

    private static byte[]? Stat(string path, bool followLinks)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        var buffer = new byte[StatxSize];
        try
        {
            return statx(AtFdCwd, path, followLinks ? 0 : AtSymlinkNoFollow, StatxType | StatxIno, buffer) == 0 ? buffer : null;
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            return null;
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string pathname, int flags, uint mask, [Out] byte[] statxbuf);
}
