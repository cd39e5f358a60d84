using GraphQL.Types;

namespace Omct.Platform.BuildingBlocks.Callers;

/// <summary>
/// Fields a module adds to the <c>Caller</c> type of <c>me</c> (the signed-in person's account): the type is declared
/// by one module, the fields by the module that owns the data. Register implementations in DI.
/// </summary>
public interface ICallerFields
{
    void AddTo(ObjectGraphType<Caller> callerType);
}
