"""The dashboard's SVG charts are drawn as strings in Python: every text escaped, every
bar and dot present."""
from qingnong.lib.svgchart import bar_chart, line_with_target


def test_bar_chart_svg_escapes_names_and_draws_every_bar_and_target():
    chart = bar_chart([("<b>甲", [3, 5], 4, "red"), ("乙&丙", [0, 2], None, "")], series=["本月", "累计"],
                      title='各县"区"', target_name="<目标>")
    svg = str(chart.svg)
    assert "<b>" not in svg and "&lt;b&gt;甲" in svg and "乙&amp;丙" in svg
    assert 'aria-label="各县&quot;区&quot;"' in svg
    assert svg.count("<rect ") == 4 and svg.count('class="tick"') == 1
    assert "&lt;目标&gt; 4" in svg and 'class="bar s1 red"' in svg
    assert svg.startswith("<svg ") and svg.endswith("</svg>")


def test_line_chart_svg_has_a_dot_per_point_and_the_targets_rounded():
    chart = line_with_target([("09-01", 2, 1.4), ("09-08", 5, 2.5), ("09-15", 9, None)], title="周", target_name="目标线")
    svg = str(chart.svg)
    assert svg.count("<circle ") == 3
    assert "09-08：5（目标线 3）" in svg and "09-15：9</title>" in svg  # 2.5 rounds half up, as floatformat does
    assert chart.table == [("09-01", 2, "1"), ("09-08", 5, "3"), ("09-15", 9, "")]
    assert 'class="target"' in svg and 'class="actual"' in svg
