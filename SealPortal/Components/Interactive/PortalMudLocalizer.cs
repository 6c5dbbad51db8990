using System.Collections.Frozen;
using System.Globalization;
using Microsoft.Extensions.Localization;
using MudBlazor;
using SealPortal.Resources;

namespace SealPortal.Components.Interactive;

/// <summary>
/// Chinese for the texts MudBlazor draws itself (pager, grid menus, dialog and snackbar close
/// buttons). English falls through to MudBlazor's own strings, which are English already.
/// </summary>
public sealed class PortalMudLocalizer : MudLocalizer
{
    private static readonly FrozenDictionary<string, string> Chinese = new Dictionary<string, string>
    {
        ["MudDataGrid_Apply"] = "应用",
        ["MudDataGrid_Clear"] = "清除",
        ["MudDataGrid_AddFilter"] = "添加筛选",
        ["MudDataGrid_Cancel"] = "取消",
        ["MudDataGrid_Loading"] = "加载中…",
        ["MudDataGrid_Save"] = "保存",
        ["MudDataGrid_HideAll"] = "全部隐藏",
        ["MudDataGrid_ShowAll"] = "全部显示",
        ["MudDataGrid_Columns"] = "列",
        ["MudDataGrid_RefreshData"] = "刷新",
        ["MudDataGrid_Unsort"] = "取消排序",
        ["MudDataGrid_Filter"] = "筛选",
        ["MudDataGrid_Hide"] = "隐藏",
        ["MudDataGrid_FilterValue"] = "筛选值",
        ["MudDataGrid_Contains"] = "包含",
        ["MudDataGrid_NotContains"] = "不包含",
        ["MudDataGrid_Equals"] = "等于",
        ["MudDataGrid_NotEquals"] = "不等于",
        ["MudDataGrid_StartsWith"] = "开头是",
        ["MudDataGrid_EndsWith"] = "结尾是",
        ["MudDataGrid_IsEmpty"] = "为空",
        ["MudDataGrid_IsNotEmpty"] = "不为空",
        ["MudDataGrid_Is"] = "是",
        ["MudDataGrid_IsNot"] = "不是",
        ["MudDataGrid_IsAfter"] = "晚于",
        ["MudDataGrid_IsOnOrAfter"] = "不早于",
        ["MudDataGrid_IsBefore"] = "早于",
        ["MudDataGrid_IsOnOrBefore"] = "不晚于",
        ["MudDataGrid_Column"] = "列",
        ["MudDataGrid_Operator"] = "条件",
        ["MudDataGrid_Value"] = "值",
        ["MudDataGrid_Sort"] = "排序",
        ["MudDataGrid_ClearFilter"] = "清除筛选",
        ["MudDataGrid_OpenFilters"] = "打开筛选",
        ["MudDataGrid_RemoveFilter"] = "移除筛选",
        ["MudDataGrid_ShowColumnOptions"] = "列选项",
        ["MudDataGridPager_RowsPerPage"] = "每页行数：",
        ["MudDataGridPager_AllItems"] = "全部",
        ["MudDataGridPager_InfoFormat"] = "{0}–{1}，共 {2}",
        ["MudDataGridPager_FirstPage"] = "第一页",
        ["MudDataGridPager_PreviousPage"] = "上一页",
        ["MudDataGridPager_NextPage"] = "下一页",
        ["MudDataGridPager_LastPage"] = "最后一页",
        ["MudTablePager_FirstPage"] = "第一页",
        ["MudTablePager_LastPage"] = "最后一页",
        ["MudTablePager_NextPage"] = "下一页",
        ["MudTablePager_PreviousPage"] = "上一页",
        ["MudPagination_CurrentPage"] = "当前第 {0} 页",
        ["MudPagination_FirstPage"] = "第一页",
        ["MudPagination_LastPage"] = "最后一页",
        ["MudPagination_NextPage"] = "下一页",
        ["MudPagination_PageIndex"] = "第 {0} 页",
        ["MudPagination_PreviousPage"] = "上一页",
        ["MudDialog_Close"] = "关闭对话框",
        ["MudSnackbar_Close"] = "关闭提示",
        ["MudAlert_Close"] = "关闭",
        ["MudChip_Close"] = "移除",
        ["MudInput_Clear"] = "清除",
        ["MudInput_Increment"] = "增加",
        ["MudInput_Decrement"] = "减少",
        ["MudNavGroup_ToggleExpand"] = "展开或收起 {0}",
        ["MudBaseDatePicker_PrevYear"] = "上一年 {0}",
        ["MudBaseDatePicker_NextYear"] = "下一年 {0}",
        ["MudBaseDatePicker_PrevMonth"] = "上个月 {0}",
        ["MudBaseDatePicker_NextMonth"] = "下个月 {0}",
        ["MudStepper_Next"] = "下一步",
        ["MudStepper_Previous"] = "上一步",
        ["MudStepper_Complete"] = "完成",
    }.ToFrozenDictionary();

    public override LocalizedString this[string key] =>
        SealPortalCultures.IsChinese(CultureInfo.CurrentUICulture) && Chinese.TryGetValue(key, out var text)
            ? new LocalizedString(key, text)
            : new LocalizedString(key, key, resourceNotFound: true);

    public override LocalizedString this[string key, params object[] arguments]
    {
        get
        {
            var s = this[key];
            return s.ResourceNotFound ? s : new LocalizedString(key, string.Format(CultureInfo.CurrentCulture, s.Value, arguments));
        }
    }
}
