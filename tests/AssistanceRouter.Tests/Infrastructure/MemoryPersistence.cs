using AssistanceRouter.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace AssistanceRouter.Tests.Infrastructure;

public static class MemoryPersistence
{
    /// <summary>
    /// Grain state, reminders, request records, channel queues and request lists in memory: they die with the silo, so tests only.
    /// The stores are this silo's singletons (one silo's grains see only its own).
    /// </summary>
    public static ISiloBuilder AddAssistanceRouterMemoryPersistence(this ISiloBuilder silo)
    {
        silo.AddMemoryGrainStorageAsDefault().UseInMemoryReminderService();
        silo.Services.AddSingleton<IChannelQueueStore, MemoryChannelQueueStore>();
        silo.Services.AddSingleton<IRequestIndex, MemoryRequestIndex>();
        silo.Services.AddSingleton<IRequestStore, MemoryRequestStore>();
        return silo;
    }
}
