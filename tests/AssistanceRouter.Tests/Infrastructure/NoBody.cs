using System.Text;

namespace AssistanceRouter.Tests.Infrastructure;

/// <summary>What a program sends to a state-changing endpoint that takes no body: the JSON content type the API wants of every such POST.</summary>
public static class NoBody
{
    public static HttpContent Json() => new StringContent("", Encoding.UTF8, "application/json");
}
