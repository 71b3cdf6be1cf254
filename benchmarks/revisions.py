"""The checkouts a benchmark measures side by side: a git worktree of a baseline revision, and ours."""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def served_script(tree: Path) -> str:
    """What a checkout serves: its app.py (Streamlit's st.App around dashboard.py), or dashboard.py before app.py."""
    return "app.py" if (tree / "app.py").exists() else "dashboard.py"


@contextmanager
def checkouts(baseline: str | None) -> Iterator[dict[str, Path]]:
    """{"baseline REV": a worktree of REV, "ours": this checkout}, or only ours without a baseline; the worktree
    is removed afterwards (each runs with this venv)."""
    if not baseline:
        yield {"ours": ROOT}
        return
    tree = Path(tempfile.mkdtemp(prefix="bench-baseline-")) / "tree"
    subprocess.run(["git", "worktree", "add", "--detach", str(tree), baseline], cwd=ROOT, check=True)
    try:
        yield {f"baseline {baseline}": tree, "ours": ROOT}
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, check=False)
