"""The scorecard's cells written in Python (templatetags/scorecard.py) say what the template
loop said: values and notes escaped, the 计划表 cell linked to the county's plan."""
from types import SimpleNamespace

from django.template import Context, Template

from qingnong.campaign.dashboard import Column
from qingnong.campaign.judge import Cell


def render(row, links=True):
    return Template("{% load scorecard %}{% score_cells row links=links %}").render(Context({"row": row, "links": links}))


def test_cells_are_escaped_and_the_plan_cell_links():
    row = SimpleNamespace(org=SimpleNamespace(pk=7), cells=[
        (Column("plan", "计划表", "计划表（附件1）状态"), Cell("已审核", "green", ""), "已审核"),
        (Column("youths_reached", "联系青年", "…"), Cell(1234, "", 'a<b>&"c'), "1,234"),
        (Column("last_update", "最近更新", "…"), Cell(None, "red", "从未填报"), None),
    ])
    html = render(row)
    assert html == ('<td class="s-green" data-key="plan" data-label="计划表"><a href="/campaign/plans/7/">已审核</a></td>'
                    '<td class="s-none" data-key="youths_reached" data-label="联系青年" title="a&lt;b&gt;&amp;&quot;c">1,234</td>'
                    '<td class="s-red" data-key="last_update" data-label="最近更新" title="从未填报">None</td>')
    assert "<a " not in render(row, links=False)
