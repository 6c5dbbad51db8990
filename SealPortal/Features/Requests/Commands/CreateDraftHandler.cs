using Microsoft.EntityFrameworkCore;
using SealPortal.Data;
using SealPortal.Workflow;

namespace SealPortal.Features.Requests;

/// <summary>Creates a draft with its PDFs. Every PDF is checked by parsing before anything is stored.</summary>
public sealed class CreateDraftHandler(
    SealPortalDbContext db,
    RequestNumberSource numbers,
    PdfIntake intake,
    DraftChecks checks,
    AuditTrail.AuditTrail audit,
    WorkingCalendar calendar,
    TimeProvider clock,
    ILogger<CreateDraftHandler> logger)
{
    public async Task<CommandResult> HandleAsync(string userId, SealRequestInput input, IReadOnlyList<UploadedPdf> files, CancellationToken ct = default)
    {
        var applicant = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new { u.DepartmentId }).SingleOrDefaultAsync(ct);
        if (applicant is null)
            return CommandResult.Forbidden("Your account is unknown.");
        if (await Rules.RulesGate.RefusalAsync(db, userId, ct) is { } rulesFirst)
            return rulesFirst;
        if (applicant.DepartmentId is not { } departmentId)
            return CommandResult.Invalid("Your account has no department; ask an administrator to set one.");
        if (files.Count == 0)
            return CommandResult.Invalid("Upload at least one PDF.");
        if (await checks.CheckInputAsync(userId, input, ct) is { } invalid)
            return invalid;

        var documents = await intake.AcceptAsync(files, ct);
        if (documents.Error is not null)
            return documents.Error;

        var now = clock.GetUtcNow();
        var request = new SealRequest
        {
            ApplicantUserId = userId,
            DepartmentId = departmentId,
            CreatedAt = now,
            Status = SealRequestStatus.Draft,
        };
        DraftChecks.Apply(request, input);
        request.Documents.AddRange(documents.Documents);
        db.SealRequests.Add(request);
        var created = audit.Add(AuditAction.RequestCreated, $"{request.Documents.Count} PDF(s): {string.Join(", ", request.Documents.Select(d => d.FileName))}");
        await SaveWithNumberAsync(request, now, number => created.Subject = number, ct);
        logger.LogInformation("Seal request {Number} created by {User} with {Count} PDF(s)", request.Number, userId, request.Documents.Count);
        return CommandResult.Ok(request.Id);
    }

    /// <summary>
    /// Gives a new request the next number of its year ("YY-NNNNN", the company's calendar year) from the
    /// year's sequence, in the transaction that saves it, so concurrent applicants never collide.
    /// </summary>
    private async Task SaveWithNumberAsync(SealRequest request, DateTimeOffset utcNow, Action<string> numbered, CancellationToken ct)
    {
        // The year of the company's calendar: a request made on 1 January in Beijing belongs to the new year.
        var now = TimeZoneInfo.ConvertTime(utcNow, TimeZoneInfo.FindSystemTimeZoneById(calendar.TimeZoneId));
        await numbers.EnsureAsync(now.Year, ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        request.Number = RequestNumbers.Format(now, await numbers.NextAsync(now.Year, ct));
        numbered(request.Number);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
    }
}

/// <summary>Request numbers "YY-NNNNN": two-digit year, then the sequence within that year from 00001.</summary>
public static class RequestNumbers
{
    /// <summary>"26-" for any moment of 2026 in the offset <paramref name="at"/> carries (the caller picks the company's time zone).</summary>
    public static string Prefix(DateTimeOffset at) => $"{at.Year % 100:00}-";

    /// <summary>The request number of the <paramref name="sequence"/>-th request of the year of <paramref name="at"/>.</summary>
    public static string Format(DateTimeOffset at, int sequence)
    {
        if (sequence > 99_999)
            throw new InvalidOperationException($"The request numbers of year {Prefix(at)} are used up.");
        ArgumentOutOfRangeException.ThrowIfLessThan(sequence, 1);
        return $"{Prefix(at)}{sequence:00000}";
    }
}
