using System.Collections.Concurrent;
using Serilog.Core;
using Serilog.Events;

namespace Omct.Platform.Testing;

/// <summary>Collects the host's Serilog events so tests can read what the server logged.</summary>
public sealed class InMemoryLogSink : ILogEventSink
{
    private readonly ConcurrentQueue<LogEvent> _events = new();

    public IReadOnlyCollection<LogEvent> Events => _events;

    public void Emit(LogEvent logEvent) => _events.Enqueue(logEvent);
}
