"""Figures a newcomer meets in the code, printed for the checkout it runs in (or `--repo DIR`).

    python scripts/code_figures.py [--repo DIR]

Counts what the codebase issue measures: text tables, functions over the lint limits, readers and decoders,
`sys.path.insert` outside tests, environment reads outside config, fixed pauses and deadline loops in tests, and
"issue N" banners. Run it in a baseline worktree and here to see both side by side.
"""

from __future__ import annotations

import argparse
import ast
import re
import subprocess
from pathlib import Path

SKIP = {".venv", ".git", "__pycache__", "node_modules", ".ruff_cache", ".pytest_cache"}


def python_files(root: Path, under: tuple[str, ...] = ()) -> list[Path]:
    files = []
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root).parts
        if SKIP & set(parts):
            continue
        if under and parts[0] not in under:
            continue
        files.append(path)
    return files


def count(pattern: str, files: list[Path]) -> int:
    regex = re.compile(pattern)
    return sum(len(regex.findall(path.read_text(encoding="utf-8"))) for path in files)


def text_pairs(root: Path) -> int:
    """(bokmål, English) string pairs written in Python (the tables the catalogues replace)."""
    total = 0
    for path in python_files(root):
        if path.relative_to(root).parts[0] == "tests":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            total += isinstance(node, ast.Tuple) and len(node.elts) == 2 and all(map(_is_text, node.elts))
    return total


def _is_text(node: ast.expr) -> bool:
    return isinstance(node, ast.JoinedStr) or (isinstance(node, ast.Constant) and isinstance(node.value, str))


def catalogue_entries(root: Path) -> int:
    po = root / "locales" / "nb" / "LC_MESSAGES" / "messages.po"
    return po.read_text(encoding="utf-8").count('\nmsgid "') - 1 if po.exists() else 0


def lines_of(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines()) if "files" in path.parts else 0


def lines(paths: list[Path]) -> int:
    return sum(len(path.read_text(encoding="utf-8").splitlines()) for path in paths)


def ruff_over_limits(root: Path, rule: str) -> int:
    result = subprocess.run(
        [
            str(Path(".venv/bin/ruff").resolve()) if Path(".venv/bin/ruff").exists() else "ruff",
            "check",
            "--isolated",
            "--select",
            rule,
            "--config",
            "lint.mccabe.max-complexity=14",
            "--config",
            "lint.pylint.max-args=8",
            "--output-format",
            "concise",
            "--exclude",
            ".venv",
            ".",
        ],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    return sum(1 for line in result.stdout.splitlines() if re.search(rf": {rule}\d* ", line))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", type=Path, default=Path("."))
    root = parser.parse_args().repo.resolve()
    this = Path(__file__).resolve().relative_to(Path(__file__).resolve().parents[1])
    code = [p for p in python_files(root) if p.relative_to(root).parts[0] != "tests" and p.relative_to(root) != this]
    tests = python_files(root, ("tests",))
    text_modules = [root / "i18n.py", root / "loaders" / "messages.py", *python_files(root, ("i18n",))]
    figures = {
        "text in Python: lines of i18n + loaders/messages": lines([p for p in text_modules if p.exists()]),
        "text in Python: (nb, en)-like string pairs": text_pairs(root),
        "catalogue entries (locales/nb)": catalogue_entries(root),
        "functions with more than 8 arguments": ruff_over_limits(root, "PLR0913"),
        "functions over complexity 14": ruff_over_limits(root, "C90"),
        "lines of the largest module in loaders/files": max(map(lines_of, python_files(root, ("loaders",)))),
        "UTF-8 decodes in loaders": count(r"\.decode\(\s*[\"']utf-8", python_files(root, ("loaders",))),
        "sys.path.insert outside tests": count(r"sys\.path\.insert", code),
        "environment reads outside config.py": count(
            r"os\.environ|os\.getenv|getenv\(", [p for p in code if p.name != "config.py"]
        ),
        "fixed pauses in tests (time.sleep, wait_for_timeout)": count(r"time\.sleep\(|wait_for_timeout\(", tests),
        "deadline loops in tests": count(r"while [^\n]*(deadline|monotonic\(\))", tests),
        "expect(...) / wait_for_function in tests": count(r"\bexpect\(|wait_for_function\(", tests),
        '"issue N" in code comments and names': count(r"(?i)\bissues? #?\d+", code),
    }
    width = max(map(len, figures))
    for name, value in figures.items():
        print(f"{name:<{width}}  {value}")


if __name__ == "__main__":
    main()
