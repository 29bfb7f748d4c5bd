using Mediary.Configuration;
using Mediary.Media;
using Mediary.Processing;
using Microsoft.Extensions.Options;

namespace Mediary.Tests.Media;

/// <summary>One account's uploads are processed a bounded number at a time, and other accounts never wait for them.</summary>
public sealed class AccountTurnsTests
{
    private static AccountTurns Turns(int perAccount) =>
        new(Options.Create(new ProcessingOptions { PerAccountConcurrency = perAccount, TimeoutSeconds = 1 }));

    [Fact]
    public async Task An_account_at_its_bound_waits_while_another_account_goes_ahead()
    {
        var turns = Turns(perAccount: 1);
        using (await turns.EnterAsync(1, CancellationToken.None))
        {
            var second = turns.EnterAsync(1, CancellationToken.None);
            using (await turns.EnterAsync(2, CancellationToken.None))
            {
                Assert.False(second.IsCompleted, "a second turn of account 1 was given while its first was held");
            }
            // The wait is bounded: the service is busy for this account, which is not the file's fault.
            await Assert.ThrowsAsync<ProcessingBusyException>(() => second);
        }
        using (await turns.EnterAsync(1, CancellationToken.None))
        {
        }
    }

    [Fact]
    public async Task A_turn_given_back_goes_to_the_next_upload_of_the_account()
    {
        var turns = Turns(perAccount: 2);
        var first = await turns.EnterAsync(7, CancellationToken.None);
        using var second = await turns.EnterAsync(7, CancellationToken.None);
        var third = turns.EnterAsync(7, CancellationToken.None);

        first.Dispose();

        using var given = await third;
    }
}
