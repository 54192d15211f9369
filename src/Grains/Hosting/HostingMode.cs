namespace AssistanceRouter.Grains.Hosting;

/// <summary>How the API joins the cluster: a silo in the same process, or a client of silos elsewhere.</summary>
public enum HostingMode { Embedded, Client }
