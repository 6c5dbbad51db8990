using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace SealPortal.Data;

/// <summary>
/// The portal's database, described once for every provider. Services depend on this type;
/// each provider has a thin subclass only so that it can own its migrations folder.
/// </summary>
public abstract class SealPortalDbContext(DbContextOptions options) : IdentityDbContext<ApplicationUser>(options), IDataProtectionKeyContext
{
    /// <summary>
    /// The data-protection key ring, shared by every instance on this database. Each key's secret is
    /// encrypted with the configured certificate before it is stored (see Hosting/KeyEncryption).
    /// </summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<Department> Departments => Set<Department>();

    public DbSet<Seal> Seals => Set<Seal>();

    public DbSet<SealHistoryEntry> SealHistory => Set<SealHistoryEntry>();

    public DbSet<Notification> Notifications => Set<Notification>();

    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    public DbSet<NotificationPreference> NotificationPreferences => Set<NotificationPreference>();

    public DbSet<IntegrityCheckRun> IntegrityCheckRuns => Set<IntegrityCheckRun>();
    public DbSet<SealAudit> SealAudits => Set<SealAudit>();

    public DbSet<SealAuditItem> SealAuditItems => Set<SealAuditItem>();

    public DbSet<SealRequest> SealRequests => Set<SealRequest>();

    public DbSet<SealRequestDocument> SealRequestDocuments => Set<SealRequestDocument>();

    public DbSet<SealRequestSeal> SealRequestSeals => Set<SealRequestSeal>();

    public DbSet<PendingApproval> PendingApprovals => Set<PendingApproval>();

    public DbSet<ApprovalDecision> ApprovalDecisions => Set<ApprovalDecision>();

    public DbSet<PhysicalStamping> PhysicalStampings => Set<PhysicalStamping>();

    public DbSet<WorkflowTemplateVersion> WorkflowTemplateVersions => Set<WorkflowTemplateVersion>();

    public DbSet<WorkflowTemplateRule> WorkflowTemplateRules => Set<WorkflowTemplateRule>();

    public DbSet<WorkflowTestCase> WorkflowTestCases => Set<WorkflowTestCase>();

    public DbSet<SealAuthorization> SealAuthorizations => Set<SealAuthorization>();

    public DbSet<ApproverDelegation> ApproverDelegations => Set<ApproverDelegation>();

    public DbSet<LedgerEntry> LedgerEntries => Set<LedgerEntry>();

    public DbSet<LedgerParticipant> LedgerParticipants => Set<LedgerParticipant>();

    /// <summary>Entries per seal and UTC day, kept by the database's insert trigger (the ledger grid's deep jumps).</summary>
    public DbSet<LedgerDayCount> LedgerDayCounts => Set<LedgerDayCount>();

    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();

    public DbSet<UserSession> UserSessions => Set<UserSession>();

    public DbSet<ChainAnchor> ChainAnchors => Set<ChainAnchor>();
    public DbSet<PortalEvent> PortalEvents => Set<PortalEvent>();

    public DbSet<SealRulesVersion> SealRules => Set<SealRulesVersion>();

    public DbSet<RuleAcknowledgement> RuleAcknowledgements => Set<RuleAcknowledgement>();

    public DbSet<TrainingPlan> TrainingPlans => Set<TrainingPlan>();

    public DbSet<TrainingSession> TrainingSessions => Set<TrainingSession>();

    public DbSet<TrainingAttendance> TrainingAttendances => Set<TrainingAttendance>();

    public DbSet<TrainingMaterial> TrainingMaterials => Set<TrainingMaterial>();

    public DbSet<TrainingMaterialContent> TrainingMaterialContents => Set<TrainingMaterialContent>();
    public DbSet<ViolationCase> ViolationCases => Set<ViolationCase>();

    public DbSet<ViolationCaseEvidence> ViolationCaseEvidence => Set<ViolationCaseEvidence>();

    public DbSet<ViolationCaseStep> ViolationCaseSteps => Set<ViolationCaseStep>();

    /// <summary>PostgreSQL's trigram index over the columns "my requests" searches.</summary>
    public const string SearchIndexName = "IX_SealRequests_Search";

    /// <summary>The index the inbox counts off on PostgreSQL and SQL Server: the approver's rows not on their own requests.</summary>
    public const string InboxCountIndexName = "IX_PendingApprovals_Count";

    /// <summary>PostgreSQL's index for "my requests" sorted by purpose (made in SQL by its migration).</summary>
    public const string PurposePrefixIndexName = "IX_SealRequests_ApplicantPurposePrefix";

    protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder) =>
        optionsBuilder.AddInterceptors(SealPortal.Features.Ledger.ChainInterceptor.Instance);

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfiguration(new LedgerEntryConfiguration());
        builder.ApplyConfiguration(new LedgerParticipantConfiguration());
        builder.ApplyConfiguration(new LedgerDayCountConfiguration());
        builder.ApplyConfiguration(new AuditEventConfiguration());
        builder.ApplyConfiguration(new ChainAnchorConfiguration());

        if (Database.IsSqlite())
        {
            // SQLite keeps a request's workflow state inside its row (about 4 KB), so reading 100,000 of an applicant's
            // rows to search them or sort them by purpose read 400 MB of pages. This index holds what "my requests"
            // searches and sorts by, in (purpose, id) order: the search reads it alone and the purpose sort pages off it.
            // Not on PostgreSQL and SQL Server: a purpose of 1,000 characters may exceed their index entry size, and
            // PostgreSQL stores the large state out of the row anyway.
            builder.Entity<SealRequest>().HasIndex(x => new { x.ApplicantUserId, x.Purpose, x.Id, x.Number, x.Counterparty, x.Status })
                .HasDatabaseName("IX_SealRequests_MineSearch");
            // The search itself, newest first, with and without a status: each reads the searched columns from its index
            // and only the matching rows from the table (without them SQLite walked (applicant, status, id) and read every
            // row, 100,000 in the bench, to test the search).
            builder.Entity<SealRequest>().HasIndex(x => new { x.ApplicantUserId, x.Status, x.Id, x.Number, x.Purpose, x.Counterparty })
                .HasDatabaseName("IX_SealRequests_MineSearchStatus");
            builder.Entity<SealRequest>().HasIndex(x => new { x.ApplicantUserId, x.Id, x.Number, x.Purpose, x.Counterparty, x.Status })
                .HasDatabaseName("IX_SealRequests_MineSearchNewest");
            // A term of three characters or more is looked up first in an FTS5 trigram index of the same columns, made in
            // SQL by the migration SqliteRequestSearchIndex with the triggers that keep it in step (see RequestSearch).
        }

        if (Database.IsNpgsql())
        {
            // "My requests" searches for a text anywhere in the number, purpose or counterparty, whatever the case: a B-tree
            // cannot find '%term%', so without this PostgreSQL read every row of the applicant (100,000 in the bench). A
            // trigram index answers ILIKE '%term%' on each column (pg_trgm folds the case of its trigrams), and the three
            // columns' scans are OR-ed in one bitmap; the rows it finds are rechecked against the pattern, so the answer is
            // the pattern's. pg_trgm is a trusted extension (PostgreSQL 13+): a database's owner may create it.
            builder.HasPostgresExtension("pg_trgm");
            builder.Entity<SealRequest>().HasIndex(x => new { x.Number, x.Purpose, x.Counterparty })
                .HasDatabaseName(SearchIndexName).HasMethod("gin").HasOperators("gin_trgm_ops", "gin_trgm_ops", "gin_trgm_ops");
            // The purpose sort is served by an index on (applicant, the purpose's first characters, id), made in SQL by the
            // migration PostgresMineSearchIndexes since EF Core does not model an index on an expression; see
            // RequestQueries.PurposePrefixLength.
        }

        builder.Entity<ApplicationUser>(u =>
        {
            u.Property(x => x.DisplayName).HasMaxLength(100);
            u.Property(x => x.PreferredCulture).HasMaxLength(10);
            u.HasOne(x => x.Department).WithMany(d => d.Users)
                .HasForeignKey(x => x.DepartmentId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<Department>(d =>
        {
            d.Property(x => x.Name).HasMaxLength(100).IsRequired();
            d.HasIndex(x => x.Name).IsUnique();
        });

        builder.Entity<Seal>(s =>
        {
            s.Property(x => x.Name).HasMaxLength(200).IsRequired();
            // Enums are stored by name so the database stays readable and reordering is harmless.
            s.Property(x => x.Type).HasConversion<string>().HasMaxLength(32);
            s.Property(x => x.Kind).HasConversion<string>().HasMaxLength(16);
            s.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
            s.HasOne(x => x.Department).WithMany().HasForeignKey(x => x.DepartmentId).OnDelete(DeleteBehavior.Restrict);
            s.HasOne(x => x.Custodian).WithMany().HasForeignKey(x => x.CustodianUserId).OnDelete(DeleteBehavior.Restrict);
            s.HasIndex(x => x.Name).IsUnique();
            s.Property(x => x.OrganizationName).HasMaxLength(100);
            s.Property(x => x.ImageSha256).HasMaxLength(64);
            s.Property(x => x.CertificatePasswordProtected).HasMaxLength(2000);
            s.Property(x => x.CertificateSubject).HasMaxLength(1000);
            s.Property(x => x.CertificateIssuer).HasMaxLength(1000);
            s.Property(x => x.CertificateSerial).HasMaxLength(100);
            s.Property(x => x.CertificateThumbprint).HasMaxLength(64);
            s.Property(x => x.CertificateKeyAlgorithm).HasMaxLength(16);
            s.HasMany(x => x.History).WithOne().HasForeignKey(h => h.SealId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<SealHistoryEntry>(h =>
        {
            h.Property(x => x.Actor).HasMaxLength(256).IsRequired();
            h.Property(x => x.Change).HasConversion<string>().HasMaxLength(32);
            h.Property(x => x.FromStatus).HasConversion<string>().HasMaxLength(16);
            h.Property(x => x.ToStatus).HasConversion<string>().HasMaxLength(16);
            h.Property(x => x.Reason).HasMaxLength(500);
            h.Property(x => x.Detail).HasMaxLength(4000);
            h.HasIndex(x => new { x.SealId, x.Id });
        });

        builder.ApplyConfiguration(new NotificationConfiguration());
        builder.ApplyConfiguration(new OutboxMessageConfiguration());
        builder.ApplyConfiguration(new NotificationPreferenceConfiguration());
        builder.ApplyConfiguration(new IntegrityCheckRunConfiguration());
        builder.ApplyConfiguration(new SealAuditConfiguration());
        builder.ApplyConfiguration(new SealAuditItemConfiguration());
        builder.ApplyConfiguration(new SealRequestConfiguration());
        builder.ApplyConfiguration(new SealRequestDocumentConfiguration());
        builder.ApplyConfiguration(new SealRequestSealConfiguration());
        builder.ApplyConfiguration(new PendingApprovalConfiguration());
        // The inbox's count (and its page's total): every row of the approver that is not on the approver's own request. With
        // only the approver in the key, PostgreSQL stores one key with a list of rows (a B-tree deduplicates equal keys), so
        // counting 100,000 waiting requests reads under 1 MB instead of the table (49 MB) or the inbox index (27 MB), and no
        // column is tested per row: the predicate is the index's. SQL Server's filtered indexes cannot compare two columns, so
        // there the applicant is in the key and tested per row. Not on SQLite: it counts off one of the inbox's covering
        // indexes already (the requests bench's inbox reads are well under 50 ms there), and its planner does not take a
        // partial index whose predicate names a column the index does not hold as covering the query.
        if (Database.IsNpgsql())
            builder.Entity<PendingApproval>().HasIndex(x => x.ApproverUserId).HasDatabaseName(InboxCountIndexName)
                .HasFilter("\"ApplicantUserId\" <> \"ApproverUserId\"");
        else if (Database.IsSqlServer())
            builder.Entity<PendingApproval>().HasIndex(x => new { x.ApproverUserId, x.ApplicantUserId }).HasDatabaseName(InboxCountIndexName);
        builder.ApplyConfiguration(new ApprovalDecisionConfiguration());
        builder.ApplyConfiguration(new PhysicalStampingConfiguration());
        builder.ApplyConfiguration(new WorkflowTemplateVersionConfiguration());
        builder.ApplyConfiguration(new WorkflowTemplateRuleConfiguration());
        builder.ApplyConfiguration(new WorkflowTestCaseConfiguration());
        builder.ApplyConfiguration(new SealAuthorizationConfiguration());
        builder.ApplyConfiguration(new ApproverDelegationConfiguration());
        builder.ApplyConfiguration(new UserSessionConfiguration());
        builder.ApplyConfiguration(new PortalEventConfiguration());
        builder.ApplyConfiguration(new SealRulesVersionConfiguration());
        builder.ApplyConfiguration(new RuleAcknowledgementConfiguration());
        builder.ApplyConfiguration(new TrainingPlanConfiguration());
        builder.ApplyConfiguration(new TrainingSessionConfiguration());
        builder.ApplyConfiguration(new TrainingAttendanceConfiguration());
        builder.ApplyConfiguration(new TrainingMaterialConfiguration());
        builder.ApplyConfiguration(new TrainingMaterialContentConfiguration());
        builder.ApplyConfiguration(new ViolationCaseConfiguration());
        builder.ApplyConfiguration(new ViolationCaseEvidenceConfiguration());
        builder.ApplyConfiguration(new ViolationCaseStepConfiguration());
    }
}

public sealed class SqliteSealPortalDbContext(DbContextOptions<SqliteSealPortalDbContext> options) : SealPortalDbContext(options);

public sealed class PostgresSealPortalDbContext(DbContextOptions<PostgresSealPortalDbContext> options) : SealPortalDbContext(options);

public sealed class SqlServerSealPortalDbContext(DbContextOptions<SqlServerSealPortalDbContext> options) : SealPortalDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        // SQL Server refuses an insert's OUTPUT clause (how EF reads back the new Id) on a table with an insert trigger
        // unless EF knows of the trigger; the other providers read the Id back in ways a trigger does not disturb.
        builder.Entity<LedgerEntry>().ToTable(t => t.HasTrigger(LedgerDayCountSql.Trigger));
    }
}
