using Hangfire;
using SealPortal.Features.Training;

namespace SealPortal.Jobs;

/// <summary>Reminds each training session's audience the day before it (see <see cref="TrainingReminders.RemindSessionsAsync"/>).</summary>
[OneAtATime(timeoutInSeconds: 60)]
[AutomaticRetry(Attempts = 0)]
public sealed class TrainingReminderJob(TrainingReminders reminders)
{
    public Task RunAsync(CancellationToken ct) => reminders.RemindSessionsAsync(ct);
}

/// <summary>Warns keepers and administrators of keeper training that lapses soon or has lapsed (see <see cref="TrainingReminders.WarnLapsesAsync"/>).</summary>
[OneAtATime(timeoutInSeconds: 60)]
[AutomaticRetry(Attempts = 0)]
public sealed class KeeperTrainingLapseJob(TrainingReminders reminders)
{
    public Task RunAsync(CancellationToken ct) => reminders.WarnLapsesAsync(ct);
}
