using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SealPortal.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class MineSearchIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterDatabase()
                .Annotation("Npgsql:PostgresExtension:pg_trgm", ",,");

            migrationBuilder.CreateIndex(
                name: "IX_SealRequests_Search",
                table: "SealRequests",
                columns: new[] { "Number", "Purpose", "Counterparty" })
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops", "gin_trgm_ops", "gin_trgm_ops" });

            // "My requests" sorted by purpose, within the applicant's rows: an index on an expression, which EF Core does not
            // model. The expression is the one RequestQueries.MineAsync sorts by (substring(purpose, 1, PurposePrefixLength)),
            // written out here as this migration made it.
            migrationBuilder.Sql(
                "CREATE INDEX \"IX_SealRequests_ApplicantPurposePrefix\" ON \"SealRequests\" (\"ApplicantUserId\", substring(\"Purpose\", 1, 64), \"Id\");");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX \"IX_SealRequests_ApplicantPurposePrefix\";");

            migrationBuilder.DropIndex(
                name: "IX_SealRequests_Search",
                table: "SealRequests");

            migrationBuilder.AlterDatabase()
                .OldAnnotation("Npgsql:PostgresExtension:pg_trgm", ",,");
        }
    }
}
