using System.Globalization;
using System.Text;

namespace AssistanceRouter.Grains.AssistanceRequests;

/// <summary>
/// Characters a reader cannot see that change what they read: the bidi controls (U+202A–U+202E, U+2066–U+2069,
/// U+200E, U+200F, U+061C), which turn "fdp.exe" into what looks like "exe.pdf", and the zero-width ones (U+200B–U+200D,
/// U+2060, U+FEFF), which make two names that look the same differ. Refused in names; shown as ⟨U+202E⟩ in text.
/// </summary>
public static class InvisibleCharacters
{
    public static bool IsInvisible(char c) => c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069') or '\u200E' or '\u200F' or '\u061C'
        or (>= '\u200B' and <= '\u200D') or '\u2060' or '\uFEFF';

    /// <summary>The first such character of <paramref name="text"/> as <c>U+202E</c>, or null when it has none.</summary>
    public static string? First(string text) => text.FirstOrDefault(IsInvisible) is var c && c != default ? CodePoint(c) : null;

    /// <summary><paramref name="text"/> with each such character written out visibly, as <c>⟨U+202E⟩</c>; the same string when it has none.</summary>
    public static string Reveal(string text)
    {
        if (!text.Any(IsInvisible)) return text;
        var shown = new StringBuilder(text.Length + 16);
        foreach (var c in text)
            if (IsInvisible(c)) shown.Append('⟨').Append(CodePoint(c)).Append('⟩');
            else shown.Append(c);
        return shown.ToString();
    }

    private static string CodePoint(char c) => "U+" + ((int)c).ToString("X4", CultureInfo.InvariantCulture);
}
