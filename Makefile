# grader's commands. `make run` grades the bundled example; `make test` runs lint, types
# and the test suite. Both start a Docker engine first when none answers (scripts/ensure-docker.sh).
PYTHON ?= python3
PROBLEM ?= problems/sum
STAMP := .grader-cache/installed

.PHONY: help install engine browser images run test lint unit bench cleanup

help:
	@echo "make run      grade $(PROBLEM)'s bundled submissions -> reports/"
	@echo "make test     ruff, mypy and the whole test suite (real Docker)"
	@echo "make bench    throughput: grader vs naive docker run vs the bare-process floor"
	@echo "make images   build every runtime image that is missing"
	@echo "make engine   make sure a Docker engine answers (installs/starts dockerd if needed)"

$(STAMP): pyproject.toml
	$(PYTHON) -m pip install -q -e '.[dev]'
	@mkdir -p $(dir $@) && touch $@

install: $(STAMP)

engine:
	@bash scripts/ensure-docker.sh

browser:
	@bash scripts/ensure-chromium.sh

images: engine install
	$(PYTHON) -m grader images build

# Exit status 1 means "graded, some submissions not accepted": expected for the example.
run: engine install
	$(PYTHON) -m grader run $(PROBLEM) $(PROBLEM)/submissions \
	  --json reports/sum.json --html reports/sum.html --junit reports/sum.xml --csv reports/sum.csv; \
	  status=$$?; [ $$status -le 1 ] || exit $$status

lint: install
	$(PYTHON) -m ruff check grader tests
	$(PYTHON) -m ruff format --check grader tests
	$(PYTHON) -m mypy grader

test: engine browser lint
	$(PYTHON) -m pytest

unit: install
	$(PYTHON) -m pytest -m "not docker"

bench: engine install
	$(PYTHON) bench/bench.py

cleanup: install
	$(PYTHON) -m grader cleanup
