namespace AssistanceRouter.Grains.Storage;

/// <summary>The lists the product keeps.</summary>
public static class RequestLists
{
    /// <summary>Nobody has it yet: the queue people take from, oldest first.</summary>
    public const string Open = "open";
    public const string Acknowledged = "acknowledged";
    public const string Resolved = "resolved";
    /// <summary>Some delivery gave up: the dead letters. Independent of the three above.</summary>
    public const string Failed = "failed";
}
