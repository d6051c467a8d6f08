"""What `specrail demo` tells a newcomer: what it shows, where it ran, how to keep it."""

from __future__ import annotations

from pathlib import Path

from tests.support.cli import run_cli


def test_the_demo_says_what_it_shows_and_where_its_folder_was(tmp_path: Path) -> None:
    answer = run_cli("demo", cwd=tmp_path)
    assert answer.code == 0, answer.out + answer.err
    lines = answer.out.splitlines()
    intro = "\n".join(lines[:4])
    assert "without a model or an API key" in intro
    assert "The model's part" in intro and "specrail's own" in intro
    [where] = [line for line in lines if line.startswith("working folder: ")]
    folder = where.removeprefix("working folder: ").split(" (")[0]
    assert "specrail-demo-" in folder and not Path(folder).exists()
    assert lines[-1] == f"all steps passed; {folder} was removed (specrail demo --keep DIR keeps it)"
    assert "core_tests PASS (notes/core.py changed)" in answer.out
    assert "matches notes/core.py" not in answer.out
    assert all(len(line) <= 100 for line in lines[:5]), lines[:5]


def test_the_demo_kept_in_a_folder_says_how_to_look_at_it(tmp_path: Path) -> None:
    keep = tmp_path / "demo"
    answer = run_cli("demo", "--keep", str(keep), cwd=tmp_path)
    assert answer.code == 0, answer.out + answer.err
    assert f"working folder: {keep}" in answer.out
    assert answer.out.splitlines()[-1] == (
        f"all steps passed; the sessions are kept in {keep}: try specrail status --root {keep}/spec-driven"
    )
