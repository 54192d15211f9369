using System.Reflection;
using AssistanceRouter.Grains.Channels;

namespace AssistanceRouter.Tests.Grains;

/// <summary>
/// A grain call names its method by an id Orleans derives from the method's signature, parameter type names included.
/// While a cluster is upgraded one silo at a time, silos of two versions call each other, so a rename must not change
/// an id that the version before it used.
/// </summary>
public sealed class GrainMethodIdsTests
{
    /// <summary>The ids of main at 72ecbb6, before issue 22 renamed the types the calls carry.</summary>
    public static TheoryData<string, string[]> Before => new()
    {
        { "IAssistanceRequestGrain", ["1AE6D456", "2885872C", "8CF26642", "C11F9523", "C8313BBD", "DC0E6287", "E91176CF", "ECA48327"] },
        { "IChannelGrain", ["118C514D", "1198C6BD", "35050D40", "66828D3C", "DFA92A49", "F90BB857"] },
        { "ITopicRouterGrain", ["091A86AD", "9E8446A3", "D6326551", "DFC66313"] },
        { "IRequestListGrain", ["71B0C445", "A00F12AB"] },
        { "IClusterKeysGrain", ["93BDD351", "D2616722", "D9FE4506"] },
        { "IRoutingObserver", ["45677667"] },
    };

    [Theory]
    [MemberData(nameof(Before))]
    public void Every_method_id_of_the_version_before_is_still_served(string grainInterface, string[] ids)
    {
        // Every grain contract lives in the grains' assembly, with the invokables generated for it.
        var served = typeof(IChannelGrain).Assembly.GetTypes()
            .SelectMany(t => t.GetCustomAttributes<CompoundTypeAliasAttribute>())
            .Select(a => a.Components)
            .Where(c => c is ["inv", _, Type type, string] && type.Name == grainInterface)
            .Select(c => (string)c[^1])
            .ToHashSet();

        Assert.Subset(served, ids.ToHashSet());
    }
}
