"""`specrail synthesis new`: a skeleton that `synthesis discover` accepts once filled, and whose
unfilled placeholders are reported as such."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.support.cli import run_cli

SID = "WFS-field-notes"
NEW = ("synthesis", "new", "--topic", "Offline notes for field teams", "--session", SID, "--json")


def _fill(root: Path) -> int:
    """Replace every placeholder with text, as a team would; the number of files changed."""
    changed = 0
    for path in (root / ".workflow" / "active" / SID).rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        filled = re.sub(r"\[TO FILL: ([^\]]*)\]", lambda m: f"Filled in: {m.group(1)}.", text)
        filled = filled.replace("Filled in: feature-slug.", "offline-sync")
        if filled != text:
            path.write_text(filled, encoding="utf-8")
            changed += 1
    return changed


def test_a_filled_skeleton_with_features_is_discovered_in_feature_mode(tmp_path: Path) -> None:
    made = run_cli(
        *NEW,
        "--roles",
        "product-manager,ux-expert",
        "--features",
        "Offline sync,Team spaces",
        "--root",
        str(tmp_path),
    )
    assert made.code == 0, made.out + made.err
    answer = json.loads(made.out)
    base = f".workflow/active/{SID}"
    assert answer["files"] == [
        f"{base}/workflow-session.json",
        f"{base}/.brainstorming/guidance-specification.md",
        f"{base}/.brainstorming/product-manager/analysis-F-001-offline-sync.md",
        f"{base}/.brainstorming/product-manager/analysis-F-002-team-spaces.md",
        f"{base}/.brainstorming/product-manager/analysis.md",
        f"{base}/.brainstorming/ux-expert/analysis-F-001-offline-sync.md",
        f"{base}/.brainstorming/ux-expert/analysis-F-002-team-spaces.md",
        f"{base}/.brainstorming/ux-expert/analysis.md",
    ]
    assert all((tmp_path / name).is_file() for name in answer["files"])
    assert answer["placeholders"]
    session = json.loads((tmp_path / base / "workflow-session.json").read_text(encoding="utf-8"))
    assert session["user_intent"] == "Offline notes for field teams" and session["state"] == "PENDING"
    checked = run_cli("validate", f"{base}/workflow-session.json", "--root", str(tmp_path), cwd=tmp_path)
    assert checked.code == 0, checked.out + checked.err

    assert _fill(tmp_path) == 7
    found = run_cli("synthesis", "discover", "--session", SID, "--json", "--root", str(tmp_path))
    assert found.code == 0, found.out + found.err
    discovered = json.loads(found.out)
    assert discovered["state"] == "DISCOVERED" and discovered["warnings"] == []
    assert discovered["unfilled_placeholders"] == []
    assert discovered["feature_mode"] is True
    assert [(f["id"], f["slug"], f["roles"]) for f in discovered["features"]] == [
        ("F-001", "offline-sync", ["product-manager", "ux-expert"]),
        ("F-002", "team-spaces", ["product-manager", "ux-expert"]),
    ]
    assert discovered["participating_roles"] == ["product-manager", "ux-expert"]
    assert discovered["user_intent"] == "Offline notes for field teams"


def test_a_filled_skeleton_without_features_is_discovered_without_feature_mode(tmp_path: Path) -> None:
    made = run_cli(*NEW, "--roles", "system-architect", "--language", "zh-CN", "--root", str(tmp_path))
    assert made.code == 0, made.out + made.err
    _fill(tmp_path)
    found = run_cli("synthesis", "discover", "--session", SID, "--json", "--root", str(tmp_path))
    discovered = json.loads(found.out)
    assert found.code == 0 and discovered["warnings"] == [], found.out
    assert discovered["feature_mode"] is False and discovered["language"] == "zh-CN"
    assert discovered["analysis_input_paths"] == ["system-architect/analysis.md"]


def test_unfilled_placeholders_are_reported_as_such(tmp_path: Path) -> None:
    run_cli(*NEW, "--roles", "product-manager,ux-expert", "--root", str(tmp_path))
    found = run_cli("synthesis", "discover", "--session", SID, "--json", "--root", str(tmp_path))
    discovered = json.loads(found.out)
    unfilled = discovered["unfilled_placeholders"]
    assert "guidance-specification.md:9" in unfilled
    assert any(p.startswith("product-manager/analysis.md:") for p in unfilled)
    assert any(p.startswith("ux-expert/analysis.md:") for p in unfilled)
    [warning] = [w for w in discovered["warnings"] if "TO FILL" in w]
    assert warning.startswith(f"{len(unfilled)} [TO FILL: ...] placeholders are not filled yet")
    text = run_cli("synthesis", "discover", "--session", SID, "--root", str(tmp_path))
    assert "placeholders are not filled yet (first: guidance-specification.md:9)" in text.out


def test_refusals_write_nothing(tmp_path: Path) -> None:
    bad = run_cli(*NEW, "--roles", "Product Manager", "--root", str(tmp_path))
    assert bad.code == 2 and "a role name is lowercase letters" in bad.err
    assert not (tmp_path / ".workflow").exists()
    assert run_cli(*NEW, "--roles", "pm", "--root", str(tmp_path)).code == 0
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    again = run_cli(*NEW, "--roles", "ux-expert", "--root", str(tmp_path))
    assert again.code == 2 and f".workflow/active/{SID} exists already" in again.err
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before
    language = run_cli(
        *NEW, "--session", "WFS-other", "--roles", "pm", "--language", "not a tag", "--root", str(tmp_path)
    )
    assert language.code == 2 and not (tmp_path / ".workflow/active/WFS-other").exists()
