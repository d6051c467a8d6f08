"""`specrail trace` and `specrail drift` on a repository with two committed sessions, from fresh clones."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from specrail import mermaid
from specrail.cli import main
from tests.spec_driven.test_any_spec import CLAUDE_MD, PROPOSAL
from tests.support.cli import REPO, run_cli
from tests.support.spec_driven import SESSIONS, Project, git

STORAGE_PROPOSAL = """## Proposal Summary

**Request:** Keep the stored notebook readable by diff tools.
**Intent:** A saved notebook ends with a newline and keeps its notes sorted by id.
**Affected Specs:**
- specs/storage.md - Section 2

**Key Changes:**
1. The file is written sorted by id, ending with a newline

**Open Questions:**
- None
"""


def storage_session(
    project: Project,
    feature: str = "sorted-storage",
    versions: tuple[str, str] = ("1.0", "1.1"),
    spec_edit: tuple[str, str] = (
        "The file is written whole.",
        "The file is written whole, notes sorted by id, in `notes/storage.py`.",
    ),
    code_edit: tuple[str, str] = ("in book.notes]", "in sorted(book.notes, key=lambda n: n.id)]"),
    abort: str | None = None,
) -> None:
    """A small session: section 2 of specs/storage.md, implemented in notes/storage.py (or aborted
    with the reason `abort` once its task is done)."""
    started = project.ok("init", "Sort stored notes", "--feature", feature, "--skip-alignment")
    label = started["session"]
    (project.root / label / "proposal.md").write_text(STORAGE_PROPOSAL, encoding="utf-8")
    project.ok("proposal", "--session", label)
    project.ok("proposal", "--confirm", "--session", label)
    project.ok("start-update", "--session", label)
    old, new = versions
    project.edit("specs/storage.md", f"**Version:** {old}", f"**Version:** {new}")
    project.edit("specs/storage.md", *spec_edit)
    history = project.root / "specs/storage.md"
    history.write_text(
        history.read_text(encoding="utf-8").rstrip("\n") + f"\n| {new} | 2026-01-21 | {feature} |\n"
    )
    project.ok("diff", "--session", label)
    args = ("--found", "0", "--resolved", "0", "--open-critical", "0")
    project.ok("refine-round", "--spec", "storage.md", *args, "--session", label)
    project.ok("align-check", "--session", label)
    project.ok("tasks", "--session", label)
    project.ok("task-start", "T-001", "--session", label)
    project.edit("notes/storage.py", *code_edit)
    project.ok("task-done", "T-001", "--session", label)
    if abort:
        project.ok("abort", "--reason", abort, "--session", label)
        return
    project.ok("verify", "--session", label)
    project.ok("run-validations", "--session", label)
    project.ok("commit", "--confirm", "--session", label)


@pytest.fixture(scope="module")
def origin(tmp_path_factory: pytest.TempPathFactory, state_cache: dict[str, Path]) -> Path:
    """A repository with two complete sessions, each committed with its record."""
    root = tmp_path_factory.mktemp("trace") / "origin"
    shutil.copytree(Project(root, state_cache).cached("COMMITTING"), root, symlinks=True)
    project = Project(root)
    project.pristine = False
    project.ok("commit", "--confirm")  # the last commit carries the session's record
    storage_session(project)
    return root


@pytest.fixture
def clone(origin: Path, tmp_path: Path) -> Path:
    target = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(origin), str(target)], check=True, capture_output=True)
    git(target, "config", "user.email", "dev@example.com")
    git(target, "config", "user.name", "Dev")
    return target


def cli(*args: str, code: int) -> dict[str, Any]:
    """`specrail ARGS --json` in-process (the text forms below run as real subprocesses)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        got = main([*args, "--json"])
    assert got == code, out.getvalue() + err.getvalue()
    return dict(json.loads(out.getvalue()))


def trace(root: Path, *args: str, code: int = 0) -> dict[str, Any]:
    return cli("trace", *args, "--root", str(root), code=code)


def drift(root: Path, *args: str, code: int) -> dict[str, Any]:
    return cli("drift", *args, "--root", str(root), code=code)


def commit_all(root: Path, message: str) -> str:
    git(root, "commit", "-q", "-am", message)
    return git(root, "rev-parse", "HEAD").strip()


def test_trace_a_section_from_a_fresh_clone(clone: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # one line per row (a narrower terminal wraps the cells)
    answer = trace(clone, "specs/notes.md#2.1")
    assert answer["target"] == {"kind": "section", "path": "specs/notes.md", "section": "2.1"}
    [entry] = answer["entries"]
    assert entry["session"].startswith("specs/meta/sessions/note-tags_")
    assert (entry["change"], entry["version_before"], entry["version_after"]) == ("MODIFIED", "1.0", "1.1")
    assert [(t["id"], t["status"], t["files"], t["check"]) for t in entry["tasks"]] == [
        ("T-001", "done", ["notes/core.py"], "PASS")
    ]
    assert entry["verification"] == {"check": "PASS", "test": "PASS"}
    assert entry["validations"] == {"test": "PASS", "core_tests": "PASS"}
    record = json.loads((clone / entry["session"] / "workflow-session.json").read_text(encoding="utf-8"))
    spec_commit, code_commit = (c["hash"] for c in record["commits"])
    assert code_commit is None  # the commit carrying the record cannot name itself: git finds it
    label = entry["session"]
    code_commit = git(clone, "log", "-1", "--format=%H", "--", f"{label}/workflow-session.json").strip()
    assert [c["commit"] for c in entry["commits"]] == [spec_commit, code_commit]
    table = run_cli("trace", "notes.md#2.1", "--root", str(clone))
    assert table.code == 0 and "specs/notes.md#2.1 Note" in table.out and "MODIFIED" in table.out
    assert "T-001 done" in table.out and "1.0 -> 1.1" in table.out


def test_trace_a_spec_a_heading_path_and_a_file(clone: Path) -> None:
    spec = trace(clone, "specs/notes.md")
    assert [(e["section"], e["change"]) for e in spec["entries"]] == [
        ("2.1", "MODIFIED"),
        ("3.1", "MODIFIED"),
        ("3.3", "DEPRECATED"),
        ("3.4", "ADDED"),
    ]
    heading = trace(clone, "specs/notes.md#Data Model/Note")
    assert heading["target"]["section"] == "2.1" and len(heading["entries"]) == 1
    stored = trace(clone, "notes/storage.py")
    assert stored["sections"] == ["specs/storage.md#2"]
    assert stored["entries"][0]["session"].startswith("specs/meta/sessions/sorted-storage_")
    core = trace(clone, "notes/core.py")
    # T-001 made the whole change of notes/core.py; the other tasks changed nothing there, and a
    # task's files are measured, not claimed: only §2.1 leads to it.
    assert core["sections"] == ["specs/notes.md#2.1"]
    graph = run_cli("trace", "notes/core.py", "--mermaid", "--root", str(clone))
    assert graph.out.startswith("flowchart LR") and mermaid.lint(graph.out) == []
    assert "notes/core.py" in graph.out and "T-001 done" in graph.out
    nothing = trace(clone, "notes/__init__.py")
    assert nothing["entries"] == []
    missing = trace(clone, "notes/nope.py", code=2)
    assert "notes/nope.py" in missing["error"]["message"]


def test_no_drift_right_after_the_sessions(clone: Path) -> None:
    answer = drift(clone, code=0)
    assert answer["status"] == "ok" and answer["sessions"] == 2
    assert answer["code"] == [] and answer["specs"] == []


def test_drift_after_a_code_change_outside_a_session(clone: Path) -> None:
    with (clone / "notes/core.py").open("a", encoding="utf-8") as f:
        f.write("\n# tidied by hand\n")
    sha = commit_all(clone, "Tidy core by hand")
    answer = drift(clone, code=1)
    assert [(f["file"], f["commit"], f["spec"], f["section"]) for f in answer["code"]] == [
        ("notes/core.py", sha, "specs/notes.md", "2.1")
    ]  # the one task that changed notes/core.py
    done = answer["code"][0]["implemented_in"]
    assert done["session"].startswith("specs/meta/sessions/note-tags_")
    assert done["subject"].startswith("feat(notes)")
    text = run_cli("drift", "--root", str(clone))
    assert text.code == 1
    line = f"notes/core.py: changed in {sha[:8]} 'Tidy core by hand' after specs/notes.md §2.1 Note"
    assert line in text.out
    assert "fix:" in text.out


def test_commit_subjects_are_data(clone: Path) -> None:
    with (clone / "notes/core.py").open("a", encoding="utf-8") as f:
        f.write("\n# again\n")
    commit_all(clone, "Paint \x1b[31mred" + "x" * 300)
    subjects = {f["subject"] for f in drift(clone, code=1)["code"]}
    assert subjects == {"Paint ?[31mred" + "x" * 186}
    assert "\x1b" not in run_cli("drift", "--root", str(clone)).out


def test_spec_edited_outside_a_session_and_since(clone: Path) -> None:
    text = (clone / "specs/storage.md").read_text(encoding="utf-8")
    (clone / "specs/storage.md").write_text(text.replace("# Storage", "# Storage of notes"), encoding="utf-8")
    spec_sha = commit_all(clone, "Retitle the storage spec")
    answer = drift(clone, code=1)
    assert answer["specs"] == [
        {
            "file": "specs/storage.md",
            "commit": spec_sha,
            "short": spec_sha[:8],
            "date": answer["specs"][0]["date"],
            "subject": "Retitle the storage spec",
        }
    ]
    assert drift(clone, "--since", "HEAD", code=0)["commits_checked"] == 0
    assert drift(clone, "--since", "HEAD~1", code=1)["specs"][0]["commit"] == spec_sha
    bad = drift(clone, "--since", "no-such-ref", code=2)
    assert "no-such-ref" in bad["error"]["message"]


def test_staged_changes_judged_unless_a_session_is_open(clone: Path) -> None:
    with (clone / "notes/storage.py").open("a", encoding="utf-8") as f:
        f.write("\n# staged by hand\n")
    git(clone, "add", "notes/storage.py")
    assert drift(clone, code=0)["code"] == []  # the history is in step
    [finding] = drift(clone, "--staged", code=1)["code"]
    assert (finding["file"], finding["commit"], finding["section"]) == ("notes/storage.py", "STAGED", "2")
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    [hook] = [h for h in hooks if h["id"] == "specrail-drift"]
    assert hook["entry"].startswith("specrail ") and hook["pass_filenames"] is False
    entry = [sys.executable, "-m", "specrail", *hook["entry"].split()[1:]]
    refused = subprocess.run(entry, cwd=clone, capture_output=True, text=True, timeout=60)
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "notes/storage.py: changed in the staged changes after specs/storage.md §2" in refused.stdout
    session = Project(clone)
    session.ok("init", "Store notes compressed", "--feature", "compressed")  # a session is open
    assert drift(clone, "--staged", code=0)["code"] == []
    session.ok("abort", "--reason", "not now")  # an aborted session left in the tree covers nothing
    assert drift(clone, "--staged", code=1)["code"][0]["file"] == "notes/storage.py"


def test_unreadable_record_is_a_warning_and_no_git_is_usage(clone: Path, tmp_path: Path) -> None:
    [record] = sorted((clone / SESSIONS).glob("sorted-storage_*/workflow-session.json"))
    data = json.loads(record.read_text(encoding="utf-8"))
    data["tasks"][0]["status"] = "finished"
    record.write_text(json.dumps(data), encoding="utf-8")
    commit_all(clone, "Break a record")
    answer = trace(clone, "specs/notes.md#2.1")
    assert len(answer["entries"]) == 1
    assert any("workflow-session.json::/tasks/0/status" in w for w in answer["warnings"])
    plain = tmp_path / "plain"
    plain.mkdir()
    assert "not inside a git repository" in drift(plain, code=2)["error"]["message"]


def test_records_name_the_session_folder_and_file_of_the_store() -> None:
    """records.py keeps its own copies (it reads records without importing the models)."""
    from specrail.spec_driven import records
    from specrail.spec_driven.session import SESSIONS_DIR
    from specrail.store import SESSION_FILE

    assert (SESSIONS_DIR.as_posix(), SESSION_FILE) == (records.SESSIONS, records.SESSION_FILE)


def test_a_later_session_covering_the_section_and_spec_clears_the_drift(clone: Path) -> None:
    project = Project(clone)
    project.edit("notes/storage.py", '"notes"', "'notes'")
    project.edit("specs/storage.md", "One JSON object", "A single JSON object")
    hand = commit_all(clone, "Edit storage by hand")
    found = drift(clone, code=1)
    assert [(f["file"], f["commit"], f["section"]) for f in found["code"]] == [
        ("notes/storage.py", hand, "2")
    ]
    assert [(f["file"], f["commit"]) for f in found["specs"]] == [("specs/storage.md", hand)]
    storage_session(
        project,
        feature="indented-storage",
        versions=("1.1", "1.2"),
        spec_edit=("A single JSON object", "A single JSON object, indented by two spaces,"),
        code_edit=("indent=2", "indent=2, sort_keys=False"),
    )
    assert drift(clone, code=0)["sessions"] == 3
    [entry] = trace(clone, "notes/storage.py")["entries"][-1:]
    assert entry["session"].startswith("specs/meta/sessions/indented-storage_")


def test_a_shallow_clone_is_named_in_a_warning(origin: Path, tmp_path: Path) -> None:
    shallow = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{origin}", str(shallow)],
        check=True,
        capture_output=True,
    )
    answer = drift(shallow, code=0)
    assert any("shallow clone" in w and "fetch-depth: 0" in w for w in answer["warnings"])
    assert trace(shallow, "specs/notes.md#2.1")["entries"]  # the records themselves are all there


def test_an_unnumbered_spec_traced_and_drifting_by_heading_path(clone: Path) -> None:
    project = Project(clone)
    project.write("CLAUDE.md", CLAUDE_MD)
    project.write("src/evaluator.py", "def evaluate(tree):\n    return list(tree)\n")
    git(clone, "add", "-A")
    git(clone, "commit", "-q", "-m", "Add the evaluator and its guide")
    label = project.ok("init", "Make the evaluator lazy", "--feature", "lazy-eval", "--skip-alignment")[
        "session"
    ]
    project.write(f"{label}/proposal.md", PROPOSAL)
    for step in (("proposal",), ("proposal", "--confirm"), ("start-update",)):
        project.ok(*step, "--session", label)
    project.edit(
        "CLAUDE.md",
        "The evaluator walks the tree.",
        "The evaluator walks the tree lazily, in `src/evaluator.py`.",
    )
    project.ok("diff", "--session", label)
    project.ok("refine-round", "--spec", "CLAUDE.md", "--found", "0", "--resolved", "0", "--open-critical=0")
    for step in (("align-check",), ("tasks",), ("task-start", "T-001")):
        project.ok(*step, "--session", label)
    project.edit("src/evaluator.py", "return list(tree)", "return iter(tree)")
    for step in (("task-done", "T-001"), ("verify",)):
        project.ok(*step, "--session", label)
    project.fails("run-validations", "--session", label)  # no test names the section: unproven
    project.ok("resolve", "--choice", "Accept unproven", "--note", "covered by review", "--session", label)
    project.ok("commit", "--confirm", "--session", label)

    for target in (
        "CLAUDE.md#Architecture/Evaluator",
        "CLAUDE.md#claude.md/architecture/evaluator",
        "CLAUDE.md#Evaluator",
    ):
        answer = trace(clone, target)
        assert answer["target"]["section"] == "Architecture/Evaluator", target
        assert [(e["label"], e["change"], e["files"]) for e in answer["entries"]] == [
            ("CLAUDE.md §Architecture/Evaluator", "MODIFIED", ["src/evaluator.py"])
        ]
    assert trace(clone, "src/evaluator.py")["sections"] == ["CLAUDE.md#Architecture/Evaluator"]
    project.edit("src/evaluator.py", "return iter(tree)", "return iter(tree)  # by hand")
    sha = commit_all(clone, "Comment the evaluator by hand")
    [finding] = drift(clone, code=1)["code"]
    assert (finding["file"], finding["commit"], finding["label"]) == (
        "src/evaluator.py",
        sha,
        "CLAUDE.md §Architecture/Evaluator",
    )


def test_a_project_in_a_subfolder_of_its_repository(clone: Path, tmp_path: Path) -> None:
    mono = tmp_path / "mono"
    shutil.copytree(clone, mono / "app", ignore=shutil.ignore_patterns(".git"))
    (mono / "README.md").write_text("# several projects\n", encoding="utf-8")
    git(mono.parent, "init", "-q", str(mono))
    git(mono, "add", "-A")
    git(mono, "-c", "user.email=dev@example.com", "-c", "user.name=Dev", "commit", "-q", "-m", "import")
    assert trace(mono / "app", "notes/storage.py")["sections"] == ["specs/storage.md#2"]
    assert drift(mono / "app", code=0)["sessions"] == 2
    with (mono / "app/notes/storage.py").open("a", encoding="utf-8") as f:
        f.write("\n# by hand\n")
    git(mono, "-c", "user.email=dev@example.com", "-c", "user.name=Dev", "commit", "-q", "-am", "by hand")
    [finding] = drift(mono / "app", code=1)["code"]
    assert (finding["file"], finding["section"]) == ("notes/storage.py", "2")
    at_top = run_cli("drift", "--staged", cwd=mono)  # pre-commit runs at the repository's top
    assert at_top.code == 0 and "run with --root app (in pre-commit: args: [--root, app])" in at_top.out
    below = run_cli("drift", cwd=mono / "app" / "notes")  # in a folder of the project
    assert below.code == 0 and "the project above it has some: run with --root .." in below.out


def test_a_section_that_does_not_exist_is_a_usage_error(clone: Path) -> None:
    for fragment in ("9.9", "Nope/Nothing"):
        refused = run_cli("trace", f"./specs/notes.md#{fragment}", "--root", str(clone))
        assert refused.code == 2, refused.out + refused.err
        assert f"specs/notes.md has no section '{fragment}'" in refused.err
        assert "its sections: 1, 2, 2.1, 2.2, 3, 3.1" in refused.err
    assert trace(clone, "specs/notes.md#1")["entries"] == []  # there, but no session changed it
    assert trace(clone, f"{clone}/specs/notes.md#3.3")["entries"][0]["change"] == "DEPRECATED"
    code = run_cli("trace", "notes/core.py#1", "--root", str(clone))
    assert code.code == 2 and "notes/core.py is not a spec" in code.err
    folder = run_cli("trace", "notes/", "--root", str(clone))
    assert folder.code == 2 and "notes/ is a folder" in folder.err


def test_a_section_as_the_table_names_it(clone: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # one line per row (a narrower terminal wraps the cells)
    table = run_cli("trace", "specs/notes.md", "--root", str(clone))
    assert "specs/notes.md#3.4 Filter by Tag " in table.out
    again = trace(clone, "specs/notes.md#3.4 Filter by Tag")  # copied from the SECTION column
    assert again["target"]["section"] == "3.4" and again["entries"][0]["change"] == "ADDED"


def test_an_aborted_session_covers_nothing(clone: Path) -> None:
    """Its spec and code edits, committed with its record, were never verified: drift names them."""
    storage_session(
        Project(clone),
        feature="compressed-storage",
        versions=("1.1", "1.2"),
        spec_edit=("One JSON object", "One compressed JSON object"),
        code_edit=('"notes"', "'notes'"),
        abort="changed my mind",
    )
    git(clone, "add", "-A")
    staged = drift(clone, "--staged", code=1)
    assert [(f["file"], f["section"]) for f in staged["code"]] == [("notes/storage.py", "2")]
    assert [f["file"] for f in staged["specs"]] == ["specs/storage.md"]
    sha = commit_all(clone, "Keep the half-done compression")
    found = drift(clone, code=1)
    assert [(f["file"], f["commit"], f["section"]) for f in found["code"]] == [("notes/storage.py", sha, "2")]
    assert found["code"][0]["implemented_in"]["session"].startswith("specs/meta/sessions/sorted-storage_")
    assert [(f["file"], f["commit"]) for f in found["specs"]] == [("specs/storage.md", sha)]
    [aborted] = [e for e in trace(clone, "specs/storage.md#2")["entries"] if e["state"] == "ABORTED"]
    assert aborted["session"].startswith("specs/meta/sessions/compressed-storage_")


SCREEN_SPEC = """# Écran d'accueil

## Réglages

Les réglages sont rangés par thème.

### Thème sombre

Le thème sombre suit le système.
"""

SCREEN_PROPOSAL = """## Proposal Summary

**Request:** Un thème sombre forcé.
**Intent:** L'utilisateur peut forcer le thème sombre.
**Affected Specs:**
- specs/ui/écran accueil.md - Réglages/Thème sombre

**Key Changes:**
1. Le thème sombre peut être forcé

**Open Questions:**
- None
"""


def test_a_nested_unversioned_spec_with_accents_and_spaces(clone: Path) -> None:
    """Named plainly in the proposal, its section implemented in `src/thème.py`, traced and drifting."""
    project = Project(clone)
    spec = "specs/ui/écran accueil.md"
    project.write(spec, SCREEN_SPEC)
    project.write("src/thème.py", "SOMBRE = 'système'\n")
    git(clone, "add", "-A")
    git(clone, "commit", "-q", "-m", "Écran et thème")
    label = project.ok("init", "Forcer le thème sombre", "--feature", "dark", "--skip-alignment")["session"]
    project.write(f"{label}/proposal.md", SCREEN_PROPOSAL)
    for step in (("proposal",), ("proposal", "--confirm"), ("start-update",)):
        project.ok(*step, "--session", label)
    project.edit(spec, "suit le système.", "suit le système, ou est forcé dans `src/thème.py`.")
    project.ok("diff", "--session", label)
    rounds = ("--found", "0", "--resolved", "0", "--open-critical=0")
    project.ok("refine-round", "--spec", "ui/écran accueil.md", *rounds, "--session", label)
    for step in (("align-check",), ("tasks",), ("task-start", "T-001")):
        project.ok(*step, "--session", label)
    project.edit("src/thème.py", "'système'", "'forcé'")
    for step in (("task-done", "T-001"), ("verify",)):
        project.ok(*step, "--session", label)
    project.fails("run-validations", "--session", label)  # no test names the section: unproven
    project.ok("resolve", "--choice", "Accept unproven", "--note", "covered by review", "--session", label)
    project.ok("commit", "--confirm", "--session", label)

    section = f"{spec}#Réglages/Thème sombre"
    assert trace(clone, "src/thème.py")["sections"] == [section]
    [entry] = trace(clone, f"./{spec}#réglages/thème sombre")["entries"]
    assert entry["files"] == ["src/thème.py"] and entry["version_after"] is None
    graph = run_cli("trace", "src/thème.py", "--mermaid", "--root", str(clone)).out
    assert "(MODIFIED)" in graph and "v-" not in graph and mermaid.lint(graph) == []
    table = run_cli("trace", "src/thème.py", "--root", str(clone)).out
    assert "- -> -" not in table and "dark_" in table and ": task checks: T-001 PASS;" in table  # no version
    messages = git(clone, "log", "-2", "--format=%B")
    assert f"- Updated {spec}\n" in messages and "vNone" not in messages
    project.edit("src/thème.py", "'forcé'", "'forcé'  # à la main")
    sha = commit_all(clone, "Thème à la main")
    [finding] = drift(clone, code=1)["code"]
    assert (finding["file"], finding["commit"], finding["label"]) == (
        "src/thème.py",
        sha,
        f"{spec} §Réglages/Thème sombre",
    )
