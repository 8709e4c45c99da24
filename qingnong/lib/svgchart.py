"""Tiny server-rendered SVG charts: no script, a few hundred bytes, fine on 2G.

The dashboard's charts (bar_chart, line_with_target) draw their <svg> here as one string
(`.svg`): the same markup the templates drew with a loop per bar and per dot, at a tenth
of the cost (a province dashboard spent 6 ms of its ≈ 50 in those loops; bench/RESULTS.md).
Every text is escaped."""
from dataclasses import dataclass
from functools import cached_property

from django.template.defaultfilters import floatformat
from django.utils.html import escape
from django.utils.safestring import mark_safe


@dataclass
class LineChart:
    width: int
    height: int
    points: str  # "x,y x,y …" for <polyline>
    dots: list  # [(x, y, label, value)]
    y_max: int
    first_label: str
    last_label: str


def line_chart(series, *, width=340, height=140, pad=24):
    """`series` is [(label, value)] in time order; returns what templates/_line_chart.html draws."""
    series = list(series)
    if not series:
        return None
    y_max = max(max(v for _, v in series), 1)
    step = (width - 2 * pad) / max(len(series) - 1, 1)
    dots = []
    for i, (label, value) in enumerate(series):
        x = pad + i * step
        y = height - pad - (height - 2 * pad) * value / y_max
        dots.append((round(x, 1), round(y, 1), label, value))
    return LineChart(width, height, " ".join(f"{x},{y}" for x, y, _, _ in dots), dots, y_max,
                     str(series[0][0]), str(series[-1][0]))


def _text_width(text, size):
    """Rough width of `text` at font `size`: a CJK character (or "·", full width in CJK
    fonts) is one em, a digit or Latin letter about 0.6."""
    return sum(size if ord(ch) > 0x7F else size * 0.6 for ch in str(text))


def _nice_max(value):
    """A round axis maximum at or above `value` (1, 2, 2.5, 5 × 10^n)."""
    if value <= 0:
        return 1
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        top = step * magnitude
        if value <= top:
            return int(top) if top == int(top) else top
    return value


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: object
    series: int  # index into BarChart.series, for the colour
    css: str  # extra class (a red/amber/green status)
    text_x: float  # where the value label goes
    text_y: float


@dataclass
class BarRow:
    label: str
    label_y: float
    bars: list
    target: object
    target_x: float | None
    y: float  # the target tick runs from y to y2
    y2: float


@dataclass
class BarChart:
    width: int
    height: int
    label_width: float  # the axis; labels end at label_x
    label_x: float
    font: int
    plot_width: float
    rows: list
    series: list  # [names], one per bar in a row
    x_max: int
    has_target: bool
    title: str = ""
    target_name: str = "目标"

    @cached_property
    def svg(self):
        e = escape
        parts = [f'<svg viewBox="0 0 {self.width} {self.height}" width="100%" role="img" aria-label="{e(self.title)}" '
                 f'class="bars" font-size="{self.font}">',
                 f'<line x1="{self.label_width}" y1="0" x2="{self.label_width}" y2="{self.height}" class="axis"/>']
        for row in self.rows:
            label = e(row.label)
            line = [f'<g><text x="{self.label_x}" y="{row.label_y}" text-anchor="end" class="lbl">{label}</text>']
            for b in row.bars:
                line.append(f'<rect x="{b.x}" y="{b.y}" width="{b.width}" height="{b.height}" rx="2" class="bar s{b.series} '
                            f'{e(b.css)}"><title>{label} {e(b.value)}</title></rect><text x="{b.text_x}" y="{b.text_y}" '
                            f'class="val">{e(b.value)}</text>\n')
            if row.target_x:
                line.append(f'<line x1="{row.target_x}" x2="{row.target_x}" y1="{row.y}" y2="{row.y2}" class="tick">'
                            f'<title>{e(self.target_name)} {e(row.target)}</title></line>')
            parts.append("".join(line) + "</g>")
        return mark_safe("\n".join(parts) + "</svg>")


def bar_chart(rows, *, series=("",), width=340, bar=14, gap=9, font=12, value_room=44, max_label=7, title="",
              target_name="目标"):
    """Horizontal bars, one row per label: good on a phone however many rows.
    `rows` is [(label, [value per series], target or None, css)]; a target is drawn as a tick."""
    rows = list(rows)
    if not rows:
        return None
    labels = [str(r[0]) if len(str(r[0])) <= max_label else str(r[0])[:max_label - 1] + "…" for r in rows]
    label_width = max(_text_width(label, font) for label in labels) + 6
    plot = width - label_width - value_room
    x_max = _nice_max(max([v or 0 for r in rows for v in r[1]] + [r[2] or 0 for r in rows]))
    n = len(series)
    row_height = n * bar + gap
    out, y = [], 4
    for label, (_, values, target, css) in zip(labels, rows):
        bars = []
        target_x = round(label_width + plot * target / x_max, 1) if target else None
        for i, value in enumerate(values):
            w = plot * (value or 0) / x_max
            top = y + i * bar
            text_x = max(label_width + w, (target_x or 0) + 1) + 3  # the value clear of the target tick
            bars.append(Bar(round(label_width, 1), round(top, 1), round(w, 1), bar - 2, value, i, css,
                            round(text_x, 1), round(top + bar - 4, 1)))
        out.append(BarRow(label, round(y + n * bar / 2 + font / 2 - 2, 1), bars, target, target_x, y - 2, y + n * bar))
        y += row_height
    return BarChart(width, int(y + 2), round(label_width, 1), round(label_width - 5, 1), font, plot, out, list(series), x_max,
                    any(r[2] for r in rows), title, target_name or "目标")


@dataclass
class TargetLineChart:
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int  # y of the x axis
    tick_x: int  # y-axis labels end here
    label_y: int  # baseline of the x-axis labels
    points: str  # the actual series, "x,y x,y …"
    target_points: str
    dots: list  # [(x, y, label, value, target)]
    y_ticks: list  # [(y, label)]
    x_labels: list  # [(x, label, anchor)]
    last: tuple  # (x, y, value) of the last point
    title: str = ""
    target_name: str = ""

    @cached_property
    def table(self):
        """[(label, value, target shown as a whole number)] for the data table under it."""
        return [(label, value, floatformat(target, 0)) for _, _, label, value, target in self.dots]

    @cached_property
    def svg(self):
        e, target_name = escape, escape(self.target_name)
        parts = [f'<svg viewBox="0 0 {self.width} {self.height}" width="100%" role="img" aria-label="{e(self.title)}" '
                 f'class="lines" font-size="10">']
        parts += [f'<line x1="{self.left}" x2="{self.right}" y1="{y}" y2="{y}" class="grid"/><text x="{self.tick_x}" y="{y}" '
                  f'dy="3" text-anchor="end" class="lbl">{e(label)}</text>' for y, label in self.y_ticks]
        parts += [f'<text x="{x}" y="{self.label_y}" text-anchor="{anchor}" class="lbl">{e(label)}</text>'
                  for x, label, anchor in self.x_labels]
        tail = f'<polyline points="{self.target_points}" class="target"/>\n' if self.target_points else ""
        tail += f'<polyline points="{self.points}" class="actual"/>\n'
        tail += "".join(
            f'<circle cx="{x}" cy="{y}" r="2.5" class="dot"><title>{e(label)}：{e(value)}'
            f'{f"（{target_name} {floatformat(target, 0)}）" if target is not None else ""}</title></circle>'
            for x, y, label, value, target in self.dots)
        tail += f'\n<text x="{self.last[0]}" y="{self.last[1]}" dx="-4" dy="-6" text-anchor="end" class="val">{e(self.last[2])}</text>'
        return mark_safe("\n".join(parts) + "\n" + tail + "\n</svg>")


def line_with_target(series, *, width=340, height=170, left=34, right=12, top=12, bottom=22, title="", target_name=""):
    """`series` is [(label, value, target)] in time order: the value line against a dashed
    target line, with a light grid. Returns what templates/_chart_line_target.html draws."""
    series = list(series)
    if not series:
        return None
    y_max = _nice_max(max(max(v, t or 0) for _, v, t in series))
    plot_w, plot_h = width - left - right, height - top - bottom
    step = plot_w / max(len(series) - 1, 1)

    def y_of(v):
        return round(top + plot_h - plot_h * v / y_max, 1)

    dots = [(round(left + i * step, 1), y_of(v), label, v, t) for i, (label, v, t) in enumerate(series)]
    ticks = [(y_of(v), f"{v:g}") for v in (0, y_max / 2, y_max)]
    middle = len(series) // 2
    x_labels = [(dots[0][0], series[0][0], "start"), (dots[-1][0], series[-1][0], "end")]
    if len(series) > 4:
        x_labels.insert(1, (dots[middle][0], series[middle][0], "middle"))
    return TargetLineChart(
        width, height, left, width - right, top, top + plot_h, left - 4, height - 6,
        " ".join(f"{x},{y}" for x, y, *_ in dots),
        " ".join(f"{x},{y_of(t)}" for x, _, _, _, t in dots if t is not None),
        dots, ticks, x_labels, (dots[-1][0], dots[-1][1], dots[-1][3]), title, target_name,
    )
