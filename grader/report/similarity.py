"""The similarity report of ``grader similar``: console lines and one self-contained HTML
page with, for every pair at or above the threshold, the two submissions side by side and
the regions they share marked. Inline CSS, no script, no external resource; code is
escaped, never rendered. The page says what it is: evidence for a person to weigh, never
a verdict.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from pathlib import Path

from grader import __version__
from grader.report.files import write_atomically
from grader.report.similar import Pair
from grader.report.text import visible

__all__ = ["render_similarity_html", "similarity_lines", "write_similarity_html"]

_CSS = """
body { margin: 0 auto; max-width: 1400px; padding: 1rem 1.5rem 3rem; color: #1f2328;
       font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
h2 { margin: 2rem 0 .5rem; font-size: 1.15rem; border-bottom: 1px solid #d0d7de; }
.note { padding: .5rem .75rem; background: #fff8c5; border: 1px solid #d4a72c;
        border-radius: 6px; }
table { border-collapse: collapse; } th, td { padding: .2rem .5rem; border: 1px solid #d0d7de; }
.side { display: grid; gap: 1rem;
        grid-template-columns: repeat(auto-fit, minmax(min(100%, 30rem), 1fr)); }
pre { margin: 0; padding: .5rem; max-height: 40rem; overflow: auto; background: #f6f8fa;
      border: 1px solid #d0d7de; white-space: pre-wrap; overflow-wrap: anywhere;
      font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
mark { background: #ffd8b5; }
"""


def _percent(share: float) -> str:
    return f"{share:.0%}"


def similarity_lines(pairs: Sequence[Pair], threshold: float, compared: int) -> list[str]:
    """One line per pair at or above ``threshold``, most similar first, and a summary."""
    shown = [pair for pair in pairs if pair.similarity >= threshold]
    width = max((len(visible(p.a.id)) for p in shown), default=0)
    lines = [
        f"{pair.similarity:.2f}  {visible(pair.a.id):<{width}}  {visible(pair.b.id)}  "
        f"(shared: {_percent(pair.share_a)} of {visible(pair.a.id)}, "
        f"{_percent(pair.share_b)} of {visible(pair.b.id)})"
        for pair in shown
    ]
    lines.append(
        f"{len(shown)} of {len(pairs)} pairs of {compared} submissions at or above "
        f"{threshold:g}; advisory: read the code before concluding anything"
    )
    return lines


def _marked(text: str, regions: tuple[tuple[int, int], ...]) -> str:
    parts, at = [], 0
    for start, end in sorted(regions):
        start = max(start, at)
        if end <= start:
            continue
        parts += [escape(visible(text[at:start])), "<mark>", escape(visible(text[start:end]))]
        parts.append("</mark>")
        at = end
    parts.append(escape(visible(text[at:])))
    return "".join(parts)


def _pair(index: int, pair: Pair) -> str:
    a, b = escape(visible(pair.a.id)), escape(visible(pair.b.id))
    return (
        f'<section class="pair" id="pair{index}"><h2>{pair.similarity:.2f}: {a} and {b}</h2>'
        f"<p>{_percent(pair.share_a)} of {a} is found in {b}; {_percent(pair.share_b)} of {b} "
        f'is found in {a}. Shared regions are <mark>marked</mark>.</p><div class="side">'
        f"<div><h3>{a}</h3><pre>{_marked(pair.a.text, pair.regions_a)}</pre></div>"
        f"<div><h3>{b}</h3><pre>{_marked(pair.b.text, pair.regions_b)}</pre></div>"
        "</div></section>"
    )


def render_similarity_html(
    pairs: Sequence[Pair],
    threshold: float,
    compared: int,
    skipped: Sequence[str] = (),
    templates: Sequence[str] = (),
) -> str:
    """The page: a table of the pairs at or above ``threshold`` and each side by side."""
    shown = [pair for pair in pairs if pair.similarity >= threshold]
    rows = "".join(
        f'<tr><td><a href="#pair{n}">{p.similarity:.2f}</a></td><td>{escape(visible(p.a.id))}'
        f"</td><td>{escape(visible(p.b.id))}</td><td>{_percent(p.share_a)}</td>"
        f"<td>{_percent(p.share_b)}</td></tr>"
        for n, p in enumerate(shown, 1)
    )
    left_out = "".join(f"<li>{escape(visible(line))}</li>" for line in skipped)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="generator" content="grader {__version__}">'
        f"<title>Similar submissions</title><style>{_CSS}</style></head><body>"
        "<h1>Similar submissions</h1>"
        '<p class="note">Advisory evidence for a person to weigh, never a verdict: similar code '
        "can come from a shared starter, a textbook or a short, standard solution.</p>"
        f"<p>{len(shown)} of {len(pairs)} pairs of {compared} submissions at or above "
        f"{threshold:g} (similarity: the larger share of either submission's code found in the "
        "other; names and strings ignored"
        + (f"; code of {escape(visible(', '.join(templates)))} not counted" if templates else "")
        + ").</p>"
        + (f"<ul>{left_out}</ul>" if left_out else "")
        + "<table><thead><tr><th>similarity</th><th>submission</th><th>submission</th>"
        f"<th>first in second</th><th>second in first</th></tr></thead><tbody>{rows}"
        "</tbody></table>"
        + "".join(_pair(n, p) for n, p in enumerate(shown, 1))
        + "</body></html>\n"
    )


def write_similarity_html(
    path: Path | str,
    pairs: Sequence[Pair],
    threshold: float,
    compared: int,
    skipped: Sequence[str] = (),
    templates: Sequence[str] = (),
) -> None:
    page = render_similarity_html(pairs, threshold, compared, skipped, templates)
    write_atomically(path, page)
