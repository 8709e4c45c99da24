"""Tiny server-rendered SVG line charts: no script, a few hundred bytes, fine on 2G."""
from dataclasses import dataclass


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
