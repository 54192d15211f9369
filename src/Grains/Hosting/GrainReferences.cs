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

    private static T Create<T>(IGrainFactory grains, (GrainType GrainType, GrainInterfaceType InterfaceType) types, IdSpan key) =>
        (T)grains.GetGrain(GrainId.Create(types.GrainType, key), types.InterfaceType);

    /// <summary>The first reference comes the usual way and tells both types.</summary>
    private static T Remember<T>(T first)
    {
        var reference = (GrainReference)(object)first!;
        Resolved<T>.Types = (reference.GrainId.Type, reference.InterfaceType);
        return first;
    }

    private static class Resolved<T>
    {
        public static (GrainType GrainType, GrainInterfaceType InterfaceType)? Types;
    }
}
