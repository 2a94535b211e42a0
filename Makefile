# Evaluation harness (see README, "Evaluation"). Data beside the repository: ../shared/data
PY ?= .venv/bin/python
DATA ?= ../shared/data

.PHONY: bench bench-fast gate

# every suite on the full scored halves, baselines included; writes docs/benchmarks.md
bench:
	$(PY) -m storytrace.cli eval --data $(DATA) --out docs/benchmarks.md

# the fast CI subset with the baselines
bench-fast:
	$(PY) -m storytrace.cli eval --fast --data $(DATA)

# the CI gate: storytrace's fast-subset scores against bench/baseline.json
gate:
	$(PY) -m storytrace.cli eval --fast --no-baselines --check --data $(DATA)
