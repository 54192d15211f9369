using System.Text;

namespace AssistanceRouter.Grains.AssistanceRequests;

/// <summary>
/// Who has a request, as people type their names on different devices: one person whatever the case and whatever
/// Unicode form ("Ann", "ann", the full-width "Ａｎｎ" are one), compared after NFKC normalisation without case.
/// </summary>
public static class PersonNames
{
    /// <summary>A name as stored: trimmed and NFKC-normalised, its case as typed.</summary>
    public static string Normalize(string name) => name.Trim().Normalize(NormalizationForm.FormKC);

    public static bool Same(string a, string b) => string.Equals(Normalize(a), Normalize(b), StringComparison.OrdinalIgnoreCase);
}
