"""What a worker must share with the client: the grader version and the runtime image tags
(each tag is the digest of the image's definition, so equal tags mean equal toolchains).

A worker refuses to join a cluster whose fingerprint differs from its own. The cluster's
fingerprint is kept in the scheduler's metadata under ``METADATA_KEY``: ``grader
scheduler`` sets it when it starts, otherwise the first client does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import grader
from grader.sandbox.images import Images

__all__ = ["METADATA_KEY", "Fingerprint", "local_fingerprint"]

METADATA_KEY = ["grader", "fingerprint"]


@dataclass(frozen=True)
class Fingerprint:
    version: str
    images: Mapping[str, str]  # image name -> tag

    def to_metadata(self) -> dict[str, object]:
        return {"version": self.version, "images": dict(self.images)}

    @classmethod
    def from_metadata(cls, data: object) -> Fingerprint | None:
        """None for anything that is not a stored fingerprint."""
        if not isinstance(data, Mapping):
            return None
        version, images = data.get("version"), data.get("images")
        if not isinstance(version, str) or not isinstance(images, Mapping):
            return None
        return cls(version, {str(k): str(v) for k, v in images.items()})

    def mismatch(self, other: Fingerprint, mine: str, theirs: str) -> str:
        """Why ``self`` (``mine``) and ``other`` (``theirs``) cannot work together; "" when
        they can."""
        if self.version != other.version:
            return f"{mine} runs grader {self.version}, {theirs} grader {other.version}"
        differ = sorted(
            name
            for name in set(self.images) | set(other.images)
            if self.images.get(name) != other.images.get(name)
        )
        if not differ:
            return ""
        name = differ[0]
        return (
            f"runtime images differ ({', '.join(differ)}): {mine} has "
            f"{self.images.get(name, 'none')}, {theirs} {other.images.get(name, 'none')}"
        )


def local_fingerprint() -> Fingerprint:
    """This installation's fingerprint (reads images/, asks no engine)."""
    definitions = Images(None).definitions()
    return Fingerprint(grader.__version__, {name: d.tag for name, d in definitions.items()})
