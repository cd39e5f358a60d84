namespace Omct.Platform.Testing;

/// <summary>
/// Waits, in short polls, for something another thread or process does after the response
/// (a log line written when the response completes, a cluster node checking in). Not a clock wait:
/// it returns as soon as the condition holds.
/// </summary>
public static class Eventually
{
    public static async Task<T> GetAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var value = await probe();
            if (done(value) || DateTime.UtcNow > deadline)
            {
                return value;
            }

            await Task.Delay(25);
        }
    }

    public static Task<T> GetAsync<T>(Func<T> probe, Func<T, bool> done, TimeSpan? timeout = null) =>
        GetAsync(() => Task.FromResult(probe()), done, timeout);
}
