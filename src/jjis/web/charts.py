"""Charts drawn on the server as inline SVG: no script, no CDN, readable without colour.

Colours and fonts come from the stylesheet through class names (the content security policy
forbids inline styles; SVG presentation attributes are not styles). Every chart carries a
title and description for screen readers, and the pages print the same numbers in a table.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from markupsafe import Markup

WIDTH = 640
LABEL_W = 190
VALUE_W = 90
ROW_H = 26


@dataclass
class Bar:
    label: str
    value: float | None  # None: withheld or not computable, shown as `shown`
    shown: str
    low: float | None = None
    high: float | None = None
    href: str | None = None
    current: bool = False


def bar_chart(bars: list[Bar], title: str, width: int = WIDTH) -> Markup:
    """Horizontal bars, one row per bar, with the 95% interval as a line where known. A
    narrower `width` (in the SVG's units) draws larger text in a small card."""
    if not bars:
        return Markup("")
    top = max([b.high or 0 for b in bars] + [b.value or 0 for b in bars] + [0.0])
    label_w = min(LABEL_W, int(width * 0.34))
    span = width - label_w - VALUE_W - 10

    def _x(v: float, top: float) -> float:
        return 0.0 if top <= 0 else max(0.0, v) / top * span

    height = ROW_H * len(bars) + 8
    cls_size = "chart" if width >= WIDTH else "chart compact"
    parts = [f'<svg class="{cls_size}" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="{escape(title)}" preserveAspectRatio="xMinYMin meet">',
             f"<title>{escape(title)}</title>"]
    limit = 28 if width >= WIDTH else 20
    for i, b in enumerate(bars):
        y = 4 + i * ROW_H
        label = escape(b.label if len(b.label) <= limit else b.label[:limit - 1] + "…")
        cls = "bar current" if b.current else "bar"
        text = f'<text class="label" x="{label_w - 8}" y="{y + 17}" text-anchor="end">{label}</text>'
        if b.href:
            text = f'<a href="{escape(b.href)}">{text}</a>'
        parts.append(text)
        end: float = label_w
        if b.value is not None:
            w = _x(b.value, top)
            parts.append(f'<rect class="{cls}" x="{label_w}" y="{y + 4}" width="{w:.1f}" '
                         f'height="{ROW_H - 8}"/>')
            end = label_w + w
        if b.low is not None and b.high is not None:
            x1, x2 = label_w + _x(b.low, top), label_w + _x(b.high, top)
            parts.append(f'<line class="ci" x1="{x1:.1f}" x2="{x2:.1f}" y1="{y + 13}" y2="{y + 13}"/>')
            end = max(end, x2)
        parts.append(f'<text class="value" x="{end + 6:.1f}" y="{y + 17}">{escape(b.shown)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def trend_chart(points: list[tuple[str, float | None, str]], title: str) -> Markup:
    """A line over census dates: (label, value or None, shown text) in date order."""
    if not points:
        return Markup("")
    height, pad, left = 200, 70, 70
    top = max([v for _, v, _ in points if v is not None] + [0.0]) or 1.0
    step = (WIDTH - left - pad) / max(1, len(points) - 1)

    def xy(i: int, v: float) -> tuple[float, float]:
        return left + i * step, height - 30 - v / top * (height - 60)

    parts = [f'<svg class="chart trend" viewBox="0 0 {WIDTH} {height}" role="img" '
             f'aria-label="{escape(title)}" preserveAspectRatio="xMinYMin meet">',
             f"<title>{escape(title)}</title>",
             f'<line class="axis" x1="{left}" x2="{WIDTH - pad}" y1="{height - 30}" '
             f'y2="{height - 30}"/>']
    known = [(i, v) for i, (_, v, _) in enumerate(points) if v is not None]
    if len(known) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in (xy(i, v) for i, v in known))
        parts.append(f'<polyline class="line" points="{path}"/>')
    for i, (label, v, shown) in enumerate(points):
        x = left + i * step
        parts.append(f'<text class="label" x="{x:.1f}" y="{height - 8}" text-anchor="middle">'
                     f"{escape(label)}</text>")
        if v is not None:
            _, y = xy(i, v)
            parts.append(f'<circle class="point" cx="{x:.1f}" cy="{y:.1f}" r="4"/>')
            parts.append(f'<text class="value" x="{x:.1f}" y="{y - 9:.1f}" text-anchor="middle">'
                         f"{escape(shown)}</text>")
    parts.append("</svg>")
    return Markup("".join(parts))
