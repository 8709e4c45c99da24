"""The assessment ranking as .xlsx, declared as data (qingnong.lib.sheets) and written by the
same writer as the official forms: rank, county, each item's score, total; the formula and
the tie rule under the table. Scores have decimals (kind "decimal", 0.00)."""
from qingnong.lib.sheets import Column, TableLayout
from qingnong.lib.xlsx import Sheet


def ranking_sheet(result):
    columns = (
        Column("rank", ("排名",), width=6),
        Column("county", ("县区",), width=14, kind="text"),
        Column("code", ("行政区划代码",), width=14, kind="text"),
        *[Column(f"item_{n}", (f"{item.label}（{item.weight}分）",), width=16, kind="decimal")
          for n, item in enumerate(result.items)],
        Column("total", ("总分",), width=10, kind="decimal"),
    )
    layout = TableLayout(code="ranking", attachment="", title=f"{result.campaign.name} · 年度考核排名",
                         header_fields=(), columns=columns)
    rows = ({"rank": row.rank, "county": row.org.name, "code": row.org.code or "", "total": row.total,
             **{f"item_{n}": item.score for n, item in enumerate(row.items)}} for row in result.rows)
    return Sheet("年度考核排名", layout, note=f"截至 {result.as_of:%Y年%m月%d日}", rows=rows,
                 notes=(f"计分公式：{result.formula}", f"并列规则：{result.tie_rule}"))
