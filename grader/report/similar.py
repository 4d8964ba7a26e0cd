"""Similar submissions (``grader similar``): advisory evidence of copying for a person to
weigh, never a verdict.

Built on copydetect (an optional extra: ``pip install 'grader[similar]'``), which
tokenizes code with Pygments, replaces names and strings by placeholders (so renaming
variables changes nothing), and compares winnowed k-gram fingerprints as MOSS does
(reordering functions moves fingerprints, it does not remove them). Submissions are found
as ``grader run`` finds them; a folder submission's files are joined, entry first. Code
also found in a template (``--template starter.py``, the starter code everyone got) is
not counted. A pair's similarity is the larger of the two shares of each submission's
fingerprinted code found in the other.
"""

from __future__ import annotations

import hashlib
import io
import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

from grader.errors import UsageError
from grader.model import Submission

__all__ = ["GUARANTEE", "NOISE", "Pair", "Source", "compare", "sources"]

NOISE = 25  # k: matches shorter than this many filtered characters are ignored
GUARANTEE = 30  # matches at least this long are always found (window = GUARANTEE - NOISE + 1)


@dataclass(frozen=True)
class Source:
    """One submission's code as compared: its id, a file name that tells the language,
    the text."""

    id: str
    name: str
    text: str


@dataclass(frozen=True)
class Pair:
    """Two submissions and what they share: each one's share of its code found in the
    other and the matching regions, as (start, end) character offsets in each text."""

    a: Source
    b: Source
    share_a: float
    share_b: float
    regions_a: tuple[tuple[int, int], ...]
    regions_b: tuple[tuple[int, int], ...]

    @property
    def similarity(self) -> float:
        return max(self.share_a, self.share_b)


def _text(submission: Submission) -> str:
    files = sorted(submission.files, key=lambda f: (f.path != submission.entry, f.path))
    return "\n".join(f.data.decode("utf-8", errors="replace") for f in files)


def sources(found: Sequence[Submission]) -> tuple[list[Source], list[str]]:
    """The comparable submissions of ``found``, and a note for each one left out."""
    kept, skipped = [], []
    for submission in found:
        if submission.reason or not submission.files:
            skipped.append(f"{submission.id}: left out ({submission.reason or 'no files'})")
            continue
        name = submission.entry or submission.files[0].path
        kept.append(Source(submission.id, name, _text(submission)))
    return kept, skipped


def _copydetect() -> Any:
    try:
        import copydetect.detector as detector
        import copydetect.utils as utils
    except ImportError as exc:
        raise UsageError("grader similar needs copydetect: pip install 'grader[similar]'") from exc
    # copydetect hashes k-grams with Python's hash(), which is salted per process: the
    # same two files scored 0.0 in one run and 0.17 in the next. A keyed-free digest makes
    # every run give the same figures.
    utils.hash = _stable_hash
    return detector


def _stable_hash(text: str) -> int:
    digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True)


@contextmanager
def _quiet() -> Iterator[None]:
    """copydetect logs a warning on the root logger for each file it cannot tokenize (an
    unknown extension is compared as plain text): keep those off the user's terminal."""
    previous = logging.root.manager.disable
    logging.disable(logging.WARNING)
    try:
        yield
    finally:
        logging.disable(previous)


def _fingerprint(detector: Any, source: Source, boilerplate: Any) -> Any:
    window = GUARANTEE - NOISE + 1
    handle = io.StringIO(source.text)
    return detector.CodeFingerprint(source.name, NOISE, window, boilerplate, fp=handle)


def _boilerplate(detector: Any, templates: Sequence[Path]) -> Any:
    hashes: set[int] = set()
    for template in templates:
        try:
            text = template.read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            raise UsageError(f"{template}: cannot read the template ({exc.strerror})") from exc
        handle = io.StringIO(text)
        hashes |= detector.CodeFingerprint(str(template), NOISE, 1, fp=handle).hashes
    import numpy

    return numpy.array(sorted(hashes), dtype=numpy.int64)


def _regions(slices: Any) -> tuple[tuple[int, int], ...]:
    if len(slices) == 0 or len(slices[0]) == 0:
        return ()
    return tuple((int(start), int(end)) for start, end in zip(slices[0], slices[1], strict=True))


def compare(found: Sequence[Source], templates: Sequence[Path] = ()) -> list[Pair]:
    """Every pair of ``found``, most similar first."""
    detector = _copydetect()
    with _quiet():
        boilerplate = _boilerplate(detector, templates) if templates else None
        prints = [_fingerprint(detector, source, boilerplate) for source in found]
    pairs = []
    for (i, a), (j, b) in combinations(enumerate(found), 2):
        _, (share_a, share_b), (slices_a, slices_b) = detector.compare_files(prints[i], prints[j])
        pair = Pair(a, b, float(share_a), float(share_b), _regions(slices_a), _regions(slices_b))
        pairs.append(pair)
    return sorted(pairs, key=lambda pair: (-pair.similarity, pair.a.id, pair.b.id))
