"""Where a fresh container's CPU goes: N boxes opened one after another, one trivial run
in each, sampled system-wide with ``perf`` and split by process name.

Each box is what one submission costs grader beyond its own runs: create, attach, start
(the OCI runtime, the shim), the supervisor's start, one run, removal. The figures are
CPU milliseconds per box, so run it on a quiet machine: every process on the host is
sampled. Needs root and ``perf`` (Debian: linux-perf).

Run from the repository: `python3 bench/profile.py [--boxes N] [--image TAG]`; the OCI
runtime is the engine's default, or GRADER_DOCKER_RUNTIME's; the supervisor the static one,
or GRADER_SUPERVISOR's.
"""

from __future__ import annotations

import argparse
import collections
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

# Process names (perf's comm, at most 15 characters) -> the part of the path they are.
PARTS = (
    ("dockerd", "dockerd"),
    ("containerd-shim", "containerd shim"),
    ("containerd", "containerd"),
    ("runc", "OCI runtime (runc)"),
    ("crun", "OCI runtime (crun)"),
    ("exe", "OCI runtime (crun)"),  # crun re-executes itself as /proc/self/exe
    ("supervisor", "supervisor (in the box)"),  # the static one
    ("python3", "supervisor (in the box)"),  # GRADER_SUPERVISOR=python
    ("python", "client (this process)"),
    ("true", "the program"),
    ("swapper", "idle"),
)
FREQUENCY = 1999


def part(comm: str) -> str:
    for prefix, name in PARTS:
        if comm.startswith(prefix):
            return name
    return "kernel threads and other"


def boxes(count: int, image: str) -> float:
    """Open ``count`` fresh boxes in turn, one run of /bin/true in each; wall seconds."""
    from grader.sandbox.base import BoxSpec, RunSpec
    from grader.sandbox.docker import DockerSandbox

    spec = BoxSpec(image=image, memory=256 << 20)
    with DockerSandbox() as sandbox:
        started = time.perf_counter()
        for _ in range(count):
            with sandbox.open(spec) as box:
                box.run(RunSpec(argv=("/bin/true",)))
        return time.perf_counter() - started


def split(samples: Mapping[str, int], count: int) -> list[tuple[str, float]]:
    """CPU ms per box for each part, largest first."""
    per_part: collections.Counter[str] = collections.Counter()
    for comm, n in samples.items():
        per_part[part(comm)] += n
    return [(name, n / FREQUENCY / count * 1000) for name, n in per_part.most_common()]


def record(count: int, image: str, workdir: Path) -> tuple[dict[str, int], float]:
    data = workdir / "perf.data"
    command = [
        "perf", "record", "-a", "-q", "-F", str(FREQUENCY), "-o", str(data),
        sys.executable, __file__, "--inner", "--boxes", str(count), "--image", image,
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    wall = float(done.stdout.split()[-1])
    script = subprocess.run(
        ["perf", "script", "-i", str(data), "-F", "comm"],
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(collections.Counter(line.strip() for line in script.stdout.splitlines())), wall


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--boxes", type=int, default=40, metavar="N")
    parser.add_argument("--image", help="a runtime image's tag (default: python's)")
    parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def default_image() -> str:
    from grader.sandbox.docker import connect
    from grader.sandbox.images import Images
    from grader.submissions.languages import load_languages

    images = Images(connect())
    image = images.get(load_languages().get("python").image)
    if not images.exists(image):
        images.build(image, log=print)
    return image.tag


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(argv)
    image = args.image or default_image()
    if args.inner:
        print(boxes(args.boxes, image))
        return 0
    if os.geteuid() != 0 or shutil.which("perf") is None:
        print("profile: needs root and perf (Debian: apt-get install linux-perf)")
        return 2
    boxes(2, image)  # warm: the image's files in the page cache
    with tempfile.TemporaryDirectory(prefix="grader-profile-") as workdir:
        samples, wall = record(args.boxes, image, Path(workdir))
    runtime = os.environ.get("GRADER_DOCKER_RUNTIME") or "the engine's default"
    print(f"{args.boxes} boxes of {image}, one after another (OCI runtime: {runtime})")
    load = os.getloadavg()[0]
    print(f"wall per box: {wall / args.boxes * 1000:.0f} ms; load average now {load:.2f}")
    rows = split(samples, args.boxes)
    busy = sum(ms for name, ms in rows if name != "idle")
    print(f"CPU per box: {busy:.0f} ms, of which")
    for name, ms in rows:
        if name != "idle":
            print(f"  {name:<26} {ms:6.1f} ms  {100 * ms / busy:4.0f}%")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
