"""Hostile inputs: `specrail validate` refuses each with one line naming file and location, writing nothing.

The cases live in `corpus/manifest.json`; files too large or too special to commit (50 MB, deep
nesting, symlinks, a FIFO, a device) are made at test time by `GENERATORS`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from specrail.cli import main
from tests.reliability.support import HERE, snapshot, specrail

CORPUS = HERE / "corpus"
MANIFEST: list[dict[str, Any]] = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))["cases"]
TIMEOUT_S = 60
SUMMARY = "file(s) checked"


def _valid_feature_index() -> str:
    data = json.loads((CORPUS / "json" / "top-level-array.json").read_text(encoding="utf-8"))[0]
    return json.dumps(data)


def _huge(target: Path, outside: Path) -> None:
    chunk = b'"' + b"x" * 1022 + b'",'
    with target.open("wb") as handle:
        handle.write(b'{"version": "1.0", "padding": [')
        for _ in range(50 * 1024):
            handle.write(chunk)
        handle.write(b'""]}')


def _deep(target: Path, outside: Path) -> None:
    target.write_text("[" * 100_000 + "]" * 100_000)


def _deep_900(target: Path, outside: Path) -> None:
    target.write_text('{"features": [' + "[" * 900 + "]" * 900 + "]}")


def _symlink_outside(target: Path, outside: Path) -> None:
    (outside / "feature-index.json").write_text(_valid_feature_index())
    target.symlink_to(outside / "feature-index.json")


def _symlink_passwd(target: Path, outside: Path) -> None:
    target.symlink_to("/etc/passwd")


def _symlink_folder(target: Path, outside: Path) -> None:
    (outside / "specs").mkdir()
    source = CORPUS / "feature-specs" / "F-021-missing-section.md"
    (outside / "specs" / target.name).write_bytes(source.read_bytes())
    target.parent.symlink_to(outside / "specs", target_is_directory=True)


def _symlink_dangling(target: Path, outside: Path) -> None:
    target.symlink_to(target.parent / "gone.json")


def _fifo(target: Path, outside: Path) -> None:
    os.mkfifo(target)


def _directory(target: Path, outside: Path) -> None:
    target.mkdir()


def _nothing(target: Path, outside: Path) -> None:
    pass


GENERATORS: dict[str, Callable[[Path, Path], None]] = {
    "huge": _huge,
    "deep": _deep,
    "deep-900": _deep_900,
    "symlink-outside": _symlink_outside,
    "symlink-passwd": _symlink_passwd,
    "symlink-folder": _symlink_folder,
    "symlink-dangling": _symlink_dangling,
    "fifo": _fifo,
    "directory": _directory,
    "device": _nothing,
    "missing": _nothing,
}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A project holding a copy of the corpus plus the generated cases, and a folder outside it."""
    base = tmp_path_factory.mktemp("corpus")
    root, outside = base / "project", base / "outside"
    shutil.copytree(CORPUS, root, ignore=shutil.ignore_patterns("manifest.json"))
    outside.mkdir()
    for case in MANIFEST:
        if "generate" in case and not case["file"].startswith("/"):
            target = root / case["file"]
            folder = target.parent.parent if case["generate"] == "symlink-folder" else target.parent
            folder.mkdir(parents=True, exist_ok=True)
            GENERATORS[case["generate"]](target, outside)
    return root, outside


def arguments(case: dict[str, Any], *options: str) -> list[str]:
    kind = ["--kind", case["kind"]] if "kind" in case else []
    return ["validate", *options, case["file"], *kind]


def verdict(case: dict[str, Any], code: int, out: str, err: str) -> list[str]:
    """What is wrong with the text answer to `case` ([] when it is right)."""
    problems = []
    if code != case["exit"]:
        problems.append(f"exit {code}, expected {case['exit']}")
    if "Traceback" in out + err or "internal error" in err:
        problems.append("traceback or internal error")
    lines = out.splitlines()
    where = f"{case['file']}::{case['location']}" if case["location"] else case["file"]
    if not any(line.startswith(f"{where}: ") and case["message"] in line for line in lines):
        problems.append(f"no line starting {where + ': '!r} containing {case['message']!r}")
    for line in lines:
        if not (line.startswith(case["file"]) or line.startswith("  fix: ") or SUMMARY in line):
            problems.append(f"unexpected line {line!r}")
    if f"{case['file']}: ok" in out:
        problems.append("reported valid")
    return problems


def test_the_corpus_is_large_and_varied() -> None:
    assert len(MANIFEST) >= 60
    assert len({c["name"] for c in MANIFEST}) == len(MANIFEST)
    committed = {c["file"] for c in MANIFEST if "generate" not in c}
    on_disk = {str(p.relative_to(CORPUS)) for p in CORPUS.rglob("*") if p.is_file()} - {"manifest.json"}
    assert committed == on_disk, "every corpus file has a manifest entry and the reverse"
    assert set(GENERATORS) == {c["generate"] for c in MANIFEST if "generate" in c}


def test_every_case_is_refused_with_file_and_location(
    project: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """Text answers, through the CLI's own entry point (one process: the corpus stays fast)."""
    root, outside = project
    before = snapshot(root), snapshot(outside)
    failures = {}
    for case in MANIFEST:
        code = main([*arguments(case), "--root", str(root)])
        out, err = capsys.readouterr()
        if problems := verdict(case, code, out, err):
            failures[case["name"]] = (problems, out[-600:], err[-600:])
    rejected = len(MANIFEST) - len(failures)
    with capsys.disabled():
        print(f"\ncorpus cases rejected correctly: {rejected}/{len(MANIFEST)}")
    assert not failures, json.dumps(failures, indent=2)
    assert (snapshot(root), snapshot(outside)) == before, "validation wrote or changed a file"


def test_json_answers_name_file_and_pointer(
    project: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """The same cases with `--json`: one object, the expected error with its file and location."""
    root, outside = project
    before = snapshot(root), snapshot(outside)
    for case in MANIFEST:
        code = main([*arguments(case, "--json"), "--root", str(root)])
        answer = json.loads(capsys.readouterr().out)
        assert code == case["exit"], case["name"]
        assert answer["status"] == "fail", case["name"]
        assert any(
            e["file"] == case["file"]
            and e["location"] == case["location"]
            and case["message"] in e["message"]
            for e in answer["errors"]
        ), (case["name"], answer["errors"][:3])
    assert (snapshot(root), snapshot(outside)) == before


# As real processes: the cases that touch the file system in odd ways or stress the parsers.
RISKY = [
    c
    for c in MANIFEST
    if "generate" in c or c["file"].split("/")[0] in ("yaml", "project-config", "encoding", "nul")
]


def test_risky_cases_in_a_real_process(project: tuple[Path, Path]) -> None:
    root, outside = project
    before = snapshot(root), snapshot(outside)

    def run(case: dict[str, Any]) -> tuple[dict[str, Any], subprocess.CompletedProcess[str]]:
        proc = subprocess.run(
            specrail(*arguments(case)), cwd=root, capture_output=True, text=True, timeout=TIMEOUT_S
        )
        return case, proc

    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(pool.map(run, RISKY))
    failures = {
        case["name"]: (problems, proc.stdout[-600:], proc.stderr[-600:])
        for case, proc in answers
        if (problems := verdict(case, proc.returncode, proc.stdout, proc.stderr))
    }
    assert not failures, json.dumps(failures, indent=2)
    assert (snapshot(root), snapshot(outside)) == before
    assert not list(root.rglob("pwned*")), "a YAML tag ran code"
