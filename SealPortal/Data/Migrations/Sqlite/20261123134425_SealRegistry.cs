using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SealPortal.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SealRegistry : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "CertificateIssuer",
                table: "Seals",
                type: "TEXT",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "CertificateKeyAlgorithm",
                table: "Seals",
                type: "TEXT",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "CertificateNotAfter",
                table: "Seals",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "CertificateNotBefore",
                table: "Seals",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "CertificatePasswordProtected",
                table: "Seals",
                type: "TEXT",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "CertificatePfxProtected",
                table: "Seals",
                type: "BLOB",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "CertificateSerial",
                table: "Seals",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "CertificateSubject",
                table: "Seals",
                type: "TEXT",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "CertificateThumbprint",
                table: "Seals",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "ImagePng",
                table: "Seals",
                type: "BLOB",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ImageSha256",
                table: "Seals",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "OrganizationName",
                table: "Seals",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "SealHistory",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    SealId = table.Column<int>(type: "INTEGER", nullable: false),
                    At = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    Actor = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Change = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    FromStatus = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    ToStatus = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    Detail = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SealHistory", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SealHistory_Seals_SealId",
                        column: x => x.SealId,
                        principalTable: "Seals",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_SealHistory_SealId_Id",
                table: "SealHistory",
                columns: new[] { "SealId", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SealHistory");

            migrationBuilder.DropColumn(
                name: "CertificateIssuer",
                table: "Seals");

            migrationBuilder.DropColumn(
                name: "CertificateKeyAlgorithm",
                table: "Seals");

            migrationBuilder.DropColumn(
                name: "CertificateNotAfter",
                table: "Seals");

            migrationBuilder.DropColumn(
                name: "CertificateNotBefore",
                table: "Seals");

            migrationBuilder.DropColumn(
                name: "CertificatePasswordProtected",
                table: "Seals");

            migrationBuilder.DropColumn(
                name: "CertificatePfxProtected",
                table: "Seals");

            migrationBuilder.DropColumn(
                name: "CertificateSerial",
                table: "Seals");

            migrationBuilder.DropColumn(
                name: "CertificateSubject",
                table: "Seals");

            migrationBuilder.DropColumn(
                name: "CertificateThumbprint",
                table: "Seals");

            migrationBuilder.DropColumn(
                name: "ImagePng",
                table: "Seals");

            migrationBuilder.DropColumn(
                name: "ImageSha256",
                table: "Seals");

            migrationBuilder.DropColumn(
                name: "OrganizationName",
                table: "Seals");
        }
    }
}
