using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using SealPortal.Data;
using SealPortal.Tests.Infrastructure;

namespace SealPortal.Tests.Data;

/// <summary>A portal with one more area interceptor, which refuses any save of an audit event about "refuse me".</summary>
public sealed class RefusingInterceptorPortalFactory : SealPortalFactory
{
    public const string Refused = "refuse me";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<IInterceptor>(new RefusingInterceptor()));
    }

    private sealed class RefusingInterceptor : SaveChangesInterceptor
    {
        public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
            CancellationToken cancellationToken = default) =>
            eventData.Context!.ChangeTracker.Entries<AuditEvent>().Any(e => e.State == EntityState.Added && e.Entity.Subject == Refused)
                ? throw new InvalidOperationException("refused by the test's interceptor")
                : ValueTask.FromResult(result);
    }
}

/// <summary>
/// The ledger's chain interceptor runs after every area's interceptor (the live events' staging, ...): it begins a
/// transaction, takes the chain's lock (PostgreSQL's advisory lock, SQLite's gate and write lock) and reads the head,
/// and EF calls no failure hook when an interceptor's SavingChanges throws, so an interceptor after it that throws
/// would leave that transaction open and, on SQLite, the gate held for every later save that extends a chain.
/// </summary>
public sealed class ChainInterceptorOrderTests(RefusingInterceptorPortalFactory portal) : IClassFixture<RefusingInterceptorPortalFactory>
{
    [Fact]
    public async Task A_save_refused_by_another_interceptor_leaves_no_transaction_nor_lock_behind()
    {
        var factory = portal.Services.GetRequiredService<IDbContextFactory<SealPortalDbContext>>();
        await using (var db = await factory.CreateDbContextAsync())
        {
            db.AuditEvents.Add(new AuditEvent { At = DateTime.UtcNow, Action = AuditAction.SignIn, Actor = "test", Subject = RefusingInterceptorPortalFactory.Refused });
            var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
            Assert.Contains("refused by the test's interceptor", refused.Message);
            Assert.Null(db.Database.CurrentTransaction);
        }

        // The next save that extends the audit chain must not wait for a lock the refused one still holds (on SQLite
        // it would wait forever; the token ends the wait so that the test fails instead of hanging).
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using (var db = await factory.CreateDbContextAsync())
        {
            var next = new AuditEvent { At = DateTime.UtcNow, Action = AuditAction.SignIn, Actor = "test", Subject = "after the refused one" };
            db.AuditEvents.Add(next);
            await db.SaveChangesAsync(patience.Token);
            Assert.True(next.Sequence > 0);
            Assert.NotEmpty(next.Hash);
        }
    }
}
