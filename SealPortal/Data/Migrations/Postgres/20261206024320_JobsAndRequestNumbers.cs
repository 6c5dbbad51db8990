using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SealPortal.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class JobsAndRequestNumbers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Hangfire replaced Quartz (its storage manages its own schema), so Quartz's job store goes.
            // Request numbers come from one sequence per year, made when the year's first request is
            // numbered (RequestNumberSource), so this migration has nothing to create for them.
            migrationBuilder.Sql("DROP TABLE IF EXISTS QRTZ_FIRED_TRIGGERS");
            migrationBuilder.Sql("DROP TABLE IF EXISTS QRTZ_PAUSED_JOB_GRPS");
            migrationBuilder.Sql("DROP TABLE IF EXISTS QRTZ_PAUSED_TRIGGER_GRPS");
            migrationBuilder.Sql("DROP TABLE IF EXISTS QRTZ_CALENDARS");
            migrationBuilder.Sql("DROP TABLE IF EXISTS QRTZ_BLOB_TRIGGERS");
            migrationBuilder.Sql("DROP TABLE IF EXISTS QRTZ_SIMPROP_TRIGGERS");
            migrationBuilder.Sql("DROP TABLE IF EXISTS QRTZ_CRON_TRIGGERS");
            migrationBuilder.Sql("DROP TABLE IF EXISTS QRTZ_SIMPLE_TRIGGERS");
            migrationBuilder.Sql("DROP TABLE IF EXISTS QRTZ_TRIGGERS");
            migrationBuilder.Sql("DROP TABLE IF EXISTS QRTZ_JOB_DETAILS");
            migrationBuilder.Sql("DROP TABLE IF EXISTS QRTZ_SCHEDULER_STATE");
            migrationBuilder.Sql("DROP TABLE IF EXISTS QRTZ_LOCKS");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Quartz's tables are not made again: no code of this version reads them.
            migrationBuilder.Sql("DO $$ DECLARE s text; BEGIN FOR s IN SELECT sequencename FROM pg_sequences WHERE sequencename LIKE 'request_numbers_%' LOOP EXECUTE 'DROP SEQUENCE ' || quote_ident(s); END LOOP; END $$");
        }
    }
}
