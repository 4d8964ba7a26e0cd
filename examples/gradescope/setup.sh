#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image (Ubuntu).
# It installs grader from the wheel that make_zip.sh put into the zip, in a venv of its own.
# grader needs no Docker engine here: it talks to a remote one (see README.md).
set -euo pipefail
cd /autograder/source
apt-get install -y -qq python3 python3-venv python3-pip >/dev/null
python3 -m venv /autograder/venv
# paramiko lets DOCKER_HOST=ssh://... work; a tcp:// engine with TLS does not need it.
/autograder/venv/bin/pip install -q ./grader-*.whl paramiko
/autograder/venv/bin/grader check problem
