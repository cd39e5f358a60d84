namespace Omct.Platform.BuildingBlocks.Storage;

/// <summary>
/// Whether a save failed because the stream (or its inline document) it starts exists already: another host or another
/// run of the same work started it a moment ago. Marten 9 reports it as <see cref="Marten.Exceptions.ExistingStreamIdCollisionException"/>,
/// the JasperFx event store as its own type, and an inline projection's first document as
/// <see cref="JasperFx.DocumentAlreadyExistsException"/>: one test for all, so that "once is enough" catches what is thrown.
/// </summary>
public static class StreamCollisions
{
    public static bool IsStartedAlready(Exception exception) =>
        exception is Marten.Exceptions.ExistingStreamIdCollisionException or JasperFx.Events.ExistingStreamIdCollisionException
            or JasperFx.DocumentAlreadyExistsException;
}
