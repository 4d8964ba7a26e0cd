#!/usr/bin/env bash
# Build the zip to upload to Gradescope ("Configure Autograder" -> "Zip file upload"):
#   examples/gradescope/make_zip.sh PROBLEM_DIR [engine.env] [certs/] > autograder.zip
# It holds setup.sh and run_autograder at its root, grader as a wheel, the problem as
# problem/, and optionally engine.env (DOCKER_HOST=...) and the engine's client certs.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
problem=${1:?usage: make_zip.sh PROBLEM_DIR [engine.env] [certs_dir] > autograder.zip}
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cp "$here/setup.sh" "$here/run_autograder" "$stage/"
cp -r "$problem" "$stage/problem"
[ -n "${2:-}" ] && cp "$2" "$stage/engine.env"
[ -n "${3:-}" ] && cp -r "$3" "$stage/certs"
python3 -m pip wheel -q --no-deps -w "$stage" "$repo" >&2
cd "$stage"
python3 -m zipfile -c "$stage.zip" ./*
cat "$stage.zip"
rm -f "$stage.zip"
