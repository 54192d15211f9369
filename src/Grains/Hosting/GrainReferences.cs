namespace AssistanceRouter.Grains.Hosting;

/// <summary>
/// Grain references for the calls every request makes (the API's submit, a request's notices, a channel's reports).
/// Orleans' <c>GetGrain&lt;T&gt;(key)</c> formats and parses the interface's type name on every call to find its grain
/// interface and grain type: about 5% of what a request allocated. Both are facts of the interface, the same in every
/// silo and client of this product, so they are resolved once per interface and the reference is built from the id.
/// </summary>
public static class GrainReferences
{
    public static T Reference<T>(this IGrainFactory grains, Guid key) where T : IGrainWithGuidKey =>
        Resolved<T>.Types is { } types ? Create<T>(grains, types, GrainIdKeyExtensions.CreateGuidKey(key)) : Remember(grains.GetGrain<T>(key));

    public static T Reference<T>(this IGrainFactory grains, string key) where T : IGrainWithStringKey =>
        Resolved<T>.Types is { } types ? Create<T>(grains, types, IdSpan.Create(key)) : Remember(grains.GetGrain<T>(key));

    private static T Create<T>(IGrainFactory grains, GrainTypes types, IdSpan key) =>
        (T)grains.GetGrain(GrainId.Create(types.Grain, key), types.Interface);

    /// <summary>The first reference comes the usual way and tells both types.</summary>
    private static T Remember<T>(T first)
    {
        var reference = (GrainReference)(object)first!;
        Resolved<T>.Types = new GrainTypes(reference.GrainId.Type, reference.InterfaceType);
        return first;
    }

    /// <summary>A class, not a struct: another thread sees the whole pair or none of it.</summary>
    private sealed record GrainTypes(GrainType Grain, GrainInterfaceType Interface);

    private static class Resolved<T>
    {
        public static GrainTypes? Types;
    }
}
