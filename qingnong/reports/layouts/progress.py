"""附件3 农村共青团微信体系建设工作推进情况跟踪摸底表 (see shared/spec/forms.md)."""
from qingnong.ledger.models import ActivityType, MEMBER_FIELDS, MessageCategory
from qingnong.ledger.rules import TOWNSHIP_BOUNDS as BOUND

from qingnong.lib.sheets import Column, Footer, HeaderField, TableLayout

MEMBERS = "微信群内成员数(人)"
MESSAGES = "发送微信数(条)"
ACTIVITIES = "线下活动开展情况(次)"

LAYOUT = TableLayout(
    code="progress",
    attachment="附件3",
    title="农村共青团微信体系建设工作推进情况跟踪摸底表",
    header_fields=(
        HeaderField("county", "县(区)团委"),
        HeaderField("reported_at", "填报时间"),
        HeaderField("filled_by", "填表人"),
        HeaderField("contact", "联系方式"),
    ),
    columns=(
        Column("name", ("乡镇名称",), width=14, kind="text", aliases=("乡镇", "乡镇（街道）名称", "乡镇(街道)")),
        # Each with the largest plausible figure of one township (ledger.rules.TOWNSHIP_BOUNDS).
        Column("branch_count", ("团支部数",), width=7, bound=BOUND["branch_count"]),
        Column("cadre_count", ("团干部数",), width=7, bound=BOUND["cadre_count"]),
        Column("youth_count", ("团员青年数",), width=8, bound=BOUND["youth_count"]),
        Column("group_count", ("微信群数",), width=7, bound=BOUND["group_count"]),
        *[Column(f, (MEMBERS, where, label), width=6 if len(label) < 4 else 9, bound=BOUND["members"])
          for f, where, label in MEMBER_FIELDS],
        *[Column(f"msg_{c}", (MESSAGES, label), width=6, bound=BOUND["messages"]) for c, label in MessageCategory.choices],
        *[Column(f"act_{t}", (ACTIVITIES, label), width=6, bound=BOUND["activities"]) for t, label in ActivityType.choices],
    ),
    footers=(
        Footer("subtotal", "合计", total="rows"),
        Footer("county_direct", "县级直属微信群数量"),
        Footer("city_direct", "市级直属微信群数量"),
        Footer("grand_total", "总计", total=("subtotal", "county_direct", "city_direct")),
    ),
    # forms.md: the two 直属 rows count groups only, so 总计 adds them in 微信群数 alone (issue 17 asked why).
    note="注：县级、市级直属微信群不属于任何乡镇，表中只统计其群数（“微信群数”一列）；其成员、发送微信和线下活动不在各乡镇行内，"
         "所以“总计”中除微信群数外，各列等于“合计”。",
)
