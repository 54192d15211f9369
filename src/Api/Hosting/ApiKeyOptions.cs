namespace AssistanceRouter.Api.Hosting;

/// <summary>
/// <c>Api:Keys</c>: when any is set, every endpoint but health, docs, metrics and link pages needs one in
/// <c>X-Api-Key</c>, or (the browser pages) a sign-in cookie. Each at least 32 characters (<see cref="ApiKeyOptionsValidator"/>).
/// </summary>
public sealed class ApiKeyOptions
{
    public const string Section = "Api";

    public List<string> Keys { get; set; } = [];
}
