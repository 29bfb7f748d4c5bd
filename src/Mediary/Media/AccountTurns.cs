using Mediary.Configuration;
using Mediary.Processing;
using Microsoft.Extensions.Options;

namespace Mediary.Media;

/// <summary>
/// How many uploads of one account are processed at once in this process (sniffing, decoding,
/// probing: the synchronous part of an upload), <see cref="ProcessingOptions.EffectivePerAccountConcurrency"/>,
/// so that one account sending its worst files in parallel holds at most that many image helpers
/// and ffmpeg slots, and the others stay free for everyone else. The wait for a turn is bounded
/// like the wait for a helper.
/// </summary>
public sealed class AccountTurns(IOptions<ProcessingOptions> options)
{
    private readonly Dictionary<long, Account> _accounts = [];
    private readonly Lock _gate = new();

    private sealed class Account(int turns)
    {
        public SemaphoreSlim Turns { get; } = new(turns, turns);
        public int Users { get; set; }
    }

    /// <summary>Waits for a turn of <paramref name="accountId"/>; disposing the result gives it back.</summary>
    /// <exception cref="ProcessingBusyException">No turn came free within the processing timeout.</exception>
    public async Task<IDisposable> EnterAsync(long accountId, CancellationToken cancellationToken)
    {
        Account account;
        lock (_gate)
        {
            if (!_accounts.TryGetValue(accountId, out account!)) _accounts[accountId] = account = new Account(options.Value.EffectivePerAccountConcurrency);
            account.Users++;
        }
        try
        {
            if (await account.Turns.WaitAsync(options.Value.Timeout, cancellationToken)) return new Turn(this, accountId, account);
            throw new ProcessingBusyException("processing turn of this account", options.Value.Timeout);
        }
        catch
        {
            Leave(accountId, account);
            throw;
        }
    }

    private void Leave(long accountId, Account account)
    {
        lock (_gate)
        {
            if (--account.Users == 0) _accounts.Remove(accountId);
        }
    }

    private sealed class Turn(AccountTurns owner, long accountId, Account account) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
            account.Turns.Release();
            owner.Leave(accountId, account);
        }
    }
}
