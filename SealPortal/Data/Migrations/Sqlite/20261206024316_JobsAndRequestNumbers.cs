using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SealPortal.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class JobsAndRequestNumbers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Hangfire replaced Quartz (its storage manages its own tables), so Quartz's job store goes.
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

            // Request numbers come from a counter row per year, bumped in the transaction that saves the
            // request (SQLite has no sequences); it starts where the existing numbers of each year end.
            migrationBuilder.Sql("CREATE TABLE RequestNumberCounters (Year INTEGER NOT NULL PRIMARY KEY, LastNumber INTEGER NOT NULL)");
            migrationBuilder.Sql(
                "INSERT INTO RequestNumberCounters (Year, LastNumber) " +
                "SELECT 2000 + CAST(substr(Number, 1, 2) AS INTEGER), MAX(CAST(substr(Number, 4) AS INTEGER)) " +
                "FROM SealRequests WHERE Number LIKE '__-_____' GROUP BY substr(Number, 1, 2)");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Quartz's tables are not made again: no code of this version reads them.
            migrationBuilder.Sql("DROP TABLE RequestNumberCounters");
        }
    }
}
