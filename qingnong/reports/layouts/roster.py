"""附件2 微信体系建设情况统计表: one row per county admin of the official account."""
from qingnong.lib.sheets import Column, TableLayout

LAYOUT = TableLayout(
    code="roster",
    attachment="附件2",
    title="微信体系建设情况统计表",
    header_fields=(),
    columns=(
        Column("county", ("县区名称",), width=12, kind="text"),
        Column("account", ("微信公众号",), width=18, kind="text"),
        Column("admin_name", ("管理员姓名",), width=10, kind="text"),
        Column("phone", ("联系电话",), width=14, kind="text"),
        Column("wechat_id", ("管理员微信号",), width=16, kind="text"),
        Column("qq", ("管理员QQ号",), width=13, kind="text"),
    ),
    blank_rows=7,
    landscape=False,
)
