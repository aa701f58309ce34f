"""Plotly figures as plain JSON (data + layout), drawn in the page by the locally served
plotly.min.js (views/vendor.py). Built by hand rather than through plotly's Python figure
classes: the page needs three lines and two dashed thresholds, and the JSON stays small."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reviewdesk.ratings.dsr import DIMENSIONS, DsrResult
from reviewdesk.web.labels import label

# One colour per dimension, the same in the table and the chart.
COLOURS = {"desc": "#165dff", "service": "#00a870", "logistics": "#ff7d00"}


def dsr_trend_figure(trend: Sequence[DsrResult], *, policy: Any) -> dict[str, Any]:
    days = [r.at.isoformat() for r in trend]
    data: list[dict[str, Any]] = []
    plotted: list[float] = []
    for d in DIMENSIONS:
        values = [r[d].value for r in trend]
        plotted.extend(v for v in values if v is not None)
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": label("dimension", d.value),
                "x": days,
                "y": [round(v, 5) if v is not None else None for v in values],
                "line": {"color": COLOURS[d.value], "width": 2},
                "hovertemplate": "%{x}<br>%{y:.5f}<extra>"
                + label("dimension", d.value)
                + "</extra>",
            }
        )
    thresholds = {
        float(t) for d in DIMENSIONS if (t := getattr(policy, f"{d.value}_threshold", None))
    }
    shapes = [
        {
            "type": "line",
            "xref": "paper",
            "x0": 0,
            "x1": 1,
            "y0": t,
            "y1": t,
            "line": {"color": "#d92c2c", "width": 1, "dash": "dash"},
        }
        for t in sorted(thresholds)
    ]
    low = min([*plotted, *thresholds], default=4.5)
    high = max(plotted, default=5.0)
    pad = max((high - low) * 0.15, 0.02)
    return {
        "data": data,
        "layout": {
            "height": 300,
            "margin": {"l": 48, "r": 16, "t": 8, "b": 36},
            "paper_bgcolor": "#ffffff",
            "plot_bgcolor": "#ffffff",
            "font": {
                "family": '-apple-system, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", '
                "sans-serif",
                "size": 12,
                "color": "#4e5969",
            },
            "xaxis": {"type": "date", "gridcolor": "#f0f1f4", "tickformat": "%m-%d"},
            "yaxis": {
                "gridcolor": "#f0f1f4",
                "range": [max(1.0, low - pad), min(5.0, high + pad)],
                "tickformat": ".2f",
            },
            "legend": {"orientation": "h", "y": 1.12, "x": 0},
            "shapes": shapes,
            "hovermode": "x unified",
        },
    }
