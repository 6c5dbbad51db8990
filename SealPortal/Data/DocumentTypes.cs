namespace SealPortal.Data;

/// <summary>
/// The document types a seal request can name. The keys are stored in requests, authorization scopes
/// and workflow conditions, so they never change; the UI strings are "DocumentType.{key}" in the resources.
/// </summary>
public static class DocumentTypes
{
    public const string Contract = "Contract";
    public const string Agreement = "Agreement";
    public const string Certificate = "Certificate";
    public const string Letter = "Letter";
    public const string Financial = "Financial";
    public const string Other = "Other";

    public static readonly IReadOnlyList<string> All = [Contract, Agreement, Certificate, Letter, Financial, Other];

    public static bool IsKnown(string? key) => key is not null && All.Contains(key, StringComparer.Ordinal);
}
