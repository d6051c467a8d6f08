"""Git runs without the repository's programs, and its answers are read NUL-safe."""

from __future__ import annotations

import subprocess
from pathlib import Path

from specrail.spec_driven import gitops, records


def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    for args in (["init", "-q"], ["config", "user.email", "a@example.com"], ["config", "user.name", "A"]):
        subprocess.run(["git", *args], cwd=root, check=True)
    return root


def commit(root: Path, files: dict[str, str], subject: str) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    subprocess.run(["git", "commit", "-q", "-m", subject], cwd=root, check=True)


def marker_program(tmp_path: Path) -> tuple[Path, Path]:
    marker = tmp_path / "ran-a-repository-program"
    script = tmp_path / "program.sh"
    script.write_text(f'#!/bin/sh\ntouch {marker}\ncat "$1" 2>/dev/null\n', encoding="utf-8")
    script.chmod(0o755)
    return script, marker


def test_log_is_not_split_by_separators_a_subject_can_hold(tmp_path: Path) -> None:
    root = repo(tmp_path)
    commit(root, {"a.txt": "1"}, "first")
    forged = "fix\x1e" + "0" * 40 + "\x1f2020-01-01T00:00:00Z\x1fforged\x00"
    commit(root, {"b.txt": "2", "new\nline.txt": "3"}, forged.replace("\x00", ""))

    found = records.log(root)

    assert [c.subject for c in found][1] == "first"
    assert len(found) == 2, [c.sha for c in found]
    assert sorted(found[0].files) == ["b.txt", "new\nline.txt"]


def test_a_file_name_with_a_newline_cannot_shift_the_answers(tmp_path: Path) -> None:
    root = repo(tmp_path)
    odd = "specs/meta/sessions/x\nHEAD:./real/workflow-session.json"
    commit(root, {odd: "odd", "real/workflow-session.json": "REAL", "other.json": "OTHER"}, "files")

    got = records._blobs(root, [odd, "other.json", "real/workflow-session.json"])

    assert got == {odd: "odd", "other.json": "OTHER", "real/workflow-session.json": "REAL"}


def test_a_configured_fsmonitor_never_runs(tmp_path: Path) -> None:
    root = repo(tmp_path)
    commit(root, {"a.txt": "1"}, "first")
    script, marker = marker_program(tmp_path)
    subprocess.run(["git", "config", "core.fsmonitor", str(script)], cwd=root, check=True)
    (root / "a.txt").write_text("2", encoding="utf-8")

    assert gitops.changed_files(root) == ["a.txt"]
    assert not marker.exists()


def test_external_diff_and_textconv_never_run(tmp_path: Path) -> None:
    root = repo(tmp_path)
    commit(root, {"a.md": "one\n", ".gitattributes": "*.md diff=conv\n"}, "first")
    script, marker = marker_program(tmp_path)
    subprocess.run(["git", "config", "diff.conv.textconv", str(script)], cwd=root, check=True)
    (root / "a.md").write_text("two\n", encoding="utf-8")
    assert gitops.git(root, "diff", "HEAD").stdout.count("+two") == 1
    assert gitops.git(root, "log", "-p", "-1").returncode == 0
    subprocess.run(["git", "config", "diff.external", str(script)], cwd=root, check=True)
    assert "+two" in gitops.git(root, "diff", "HEAD").stdout
    assert "one" in gitops.git(root, "show", "HEAD").stdout

    assert not marker.exists()
