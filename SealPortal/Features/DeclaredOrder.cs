using System.Linq.Expressions;

namespace SealPortal.Features;

/// <summary>
/// Sorts a list by a status in the order its enum declares it (a request's life: draft, in approval, …, completed),
/// in the database. Statuses are stored by name, so a plain ORDER BY put them in English alphabetical order, which
/// means nothing to a reader, least of all one reading the names in Chinese.
/// </summary>
public static class DeclaredOrder
{
    public static IOrderedQueryable<T> OrderByDeclared<T, TEnum>(this IQueryable<T> query, Expression<Func<T, TEnum>> status, bool descending)
        where TEnum : struct, Enum =>
        descending ? query.OrderByDescending(Rank(status)) : query.OrderBy(Rank(status));

    /// <summary>
    /// <c>status == First ? 0 : status == Second ? 1 : … : n</c>, a CASE in SQL. Each comparison is written as the C#
    /// compiler writes <c>x.Status == SealRequestStatus.Draft</c>, which every provider translates with its converter.
    /// </summary>
    internal static Expression<Func<T, int>> Rank<T, TEnum>(Expression<Func<T, TEnum>> status) where TEnum : struct, Enum
    {
        var values = Enum.GetValues<TEnum>();
        var underlying = Enum.GetUnderlyingType(typeof(TEnum));
        var value = Expression.Convert(status.Body, underlying);
        Expression rank = Expression.Constant(values.Length);
        for (var i = values.Length - 1; i >= 0; i--)
            rank = Expression.Condition(
                Expression.Equal(value, Expression.Constant(Convert.ChangeType(values[i], underlying, System.Globalization.CultureInfo.InvariantCulture), underlying)),
                Expression.Constant(i), rank);
        return Expression.Lambda<Func<T, int>>(rank, status.Parameters);
    }
}
