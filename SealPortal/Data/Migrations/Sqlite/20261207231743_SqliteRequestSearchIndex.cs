using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SealPortal.Data.Migrations.Sqlite
{
    /// <summary>
    /// SQLite's search of the requests (number, purpose, counterparty): an FTS5 index of their trigrams, whose content is
    /// the requests' own table (nothing stored twice but the index), kept in step by triggers on every insert, delete and
    /// update of the three columns, whoever writes them (EF, a bulk update, the bench's SQL). Built here for the rows there
    /// are. No model change: EF does not model a virtual table, and RequestQueries reads it in SQL
    /// (see RequestSearch). The trigram tokenizer needs SQLite 3.34; the bundled e_sqlite3 is newer.
    /// A later migration that makes SealRequests again (EF's way to alter a SQLite column) drops these triggers with
    /// the old table: it must create them again and rebuild the index (RequestSearchTests fail otherwise).
    /// </summary>
    public partial class SqliteRequestSearchIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE VIRTUAL TABLE "SealRequestsSearch" USING fts5(
                    "Number", "Purpose", "Counterparty",
                    content='SealRequests', content_rowid='Id', tokenize='trigram');
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "SealRequestsSearch_Insert" AFTER INSERT ON "SealRequests" BEGIN
                    INSERT INTO "SealRequestsSearch" (rowid, "Number", "Purpose", "Counterparty")
                    VALUES (new."Id", new."Number", new."Purpose", new."Counterparty");
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "SealRequestsSearch_Delete" AFTER DELETE ON "SealRequests" BEGIN
                    INSERT INTO "SealRequestsSearch" ("SealRequestsSearch", rowid, "Number", "Purpose", "Counterparty")
                    VALUES ('delete', old."Id", old."Number", old."Purpose", old."Counterparty");
                END;
                """);
            // Only when a searched column is written: the workflow's saves of a request's state leave the index alone.
            migrationBuilder.Sql("""
                CREATE TRIGGER "SealRequestsSearch_Update" AFTER UPDATE OF "Id", "Number", "Purpose", "Counterparty" ON "SealRequests" BEGIN
                    INSERT INTO "SealRequestsSearch" ("SealRequestsSearch", rowid, "Number", "Purpose", "Counterparty")
                    VALUES ('delete', old."Id", old."Number", old."Purpose", old."Counterparty");
                    INSERT INTO "SealRequestsSearch" (rowid, "Number", "Purpose", "Counterparty")
                    VALUES (new."Id", new."Number", new."Purpose", new."Counterparty");
                END;
                """);
            // The requests there are (the demo history, a user's file).
            migrationBuilder.Sql("""INSERT INTO "SealRequestsSearch" ("SealRequestsSearch") VALUES ('rebuild');""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "SealRequestsSearch_Update";""");
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "SealRequestsSearch_Delete";""");
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "SealRequestsSearch_Insert";""");
            migrationBuilder.Sql("""DROP TABLE IF EXISTS "SealRequestsSearch";""");
        }
    }
}
