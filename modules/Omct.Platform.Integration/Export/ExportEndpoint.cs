namespace Omct.Platform.Integration.Export;
internal sealed class ExportEndpoint
{
    public static void Map(Microsoft.AspNetCore.Routing.IEndpointRouteBuilder endpoints) { }
}
