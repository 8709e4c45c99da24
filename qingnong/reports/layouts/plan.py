"""附件1 县乡两级微信体系建设计划表: label | value rows, one form per county."""
from qingnong.lib.sheets import FieldListLayout, HeaderField, PlanField

LAYOUT = FieldListLayout(
    code="plan",
    attachment="附件1",
    title="县乡两级微信体系建设计划表",
    header_fields=(HeaderField("county", "县区"), HeaderField("filled_by", "填表人"), HeaderField("contact", "联系方式")),
    fields=(
        PlanField("county_name", "县区名称", "text"),
        PlanField("account_opened", "是否开通订阅号/服务号", "yesno"),
        PlanField("account_name", "拟开通订阅号/服务号名称", "text"),
        PlanField("wechat_lead", "区县微信负责人", "text"),
        PlanField("admins_contact", "管理员姓名及联系方式", "text"),
        PlanField("planned_county_youth_groups", "拟建区县直属团青微信群数量"),
        PlanField("planned_county_work_groups", "拟建区县直属青农微信群数量"),
        PlanField("township_count", "现有乡镇数量"),
        PlanField("planned_township_youth_groups", "拟建乡镇级团青微信群数量"),
        PlanField("planned_township_work_groups", "拟建乡镇级青农微信群数量"),
        PlanField("planned_direct_groups", "拟建直属团组织微信群数量"),
        PlanField("planned_village_groups", "拟建村级团组织微信群数量"),
    ),
)
