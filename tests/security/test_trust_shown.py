"""The user approves what will really run: shown escaped, bodies included, names bound, asked for."""

from __future__ import annotations

import json
import subprocess
import sys

from specrail import trust
from specrail.spec_driven.commands import project_commands
from specrail.spec_driven.runner import listed
from tests.support.cli import run_cli
from tests.support.signed import sign_file
from tests.support.spec_driven import Project, approve_shown

HIDDEN = "touch owned\x1b[2K\r\u202eecho harmless\nfake: line\u200b"


def plant(project: Project, run: str) -> None:
    text = (project.root / ".specrail.yaml").read_text(encoding="utf-8")
    old = "run: python3 -m compileall -q notes tests"
    assert old in text
    (project.root / ".specrail.yaml").write_text(text.replace(old, f"run: {json.dumps(run)}"), "utf-8")


def raw_chars(text: str) -> set[str]:
    return {c for c in text if c in "\x1b\r\u202e\u200b"}


def test_trust_show_escapes_what_the_repository_wrote(cloned: Project) -> None:
    plant(cloned, HIDDEN)

    text = run_cli("trust", "--show", "--root", str(cloned.root))
    shown = run_cli("trust", "--show", "--root", str(cloned.root), "--json")

    assert text.code == 0 and not raw_chars(text.out), repr(text.out)
    assert "\\x1b[2K\\x0d\\u202eecho harmless\\x0afake: line\\u200b" in text.out
    assert not any(line.startswith("fake:") for line in text.out.splitlines())
    check = next(c for c in shown.json["commands"] if c["name"] == "check")
    assert not raw_chars(check["run"]) and "\\x0a" in check["run"]


def test_the_not_approved_answer_of_a_step_is_escaped(cloned: Project) -> None:
    cloned.advance("IMPLEMENTING")
    cloned.ok("tasks")
    cloned.ok("task-start", "T-001", "--files", "notes/core.py")
    plant(cloned, HIDDEN)

    refused = cloned.fails("task-done", "T-001").json["error"]["message"]

    assert "not approved yet" in refused and not raw_chars(refused)
    assert "\\x0afake: line" in refused
    assert not (cloned.root / "owned").exists()


def test_a_changed_makefile_recipe_loses_its_approval(cloned: Project) -> None:
    (cloned.root / ".specrail.yaml").unlink()
    cloned.write("Makefile", "test: prep\n\tpython3 -m unittest -q\nprep:\n\ttrue\n")
    approve_shown(cloned.root)
    shown = run_cli("trust", "--show", "--root", str(cloned.root)).out
    assert "test: make test" in shown and "python3 -m unittest -q" in shown and "prep:" in shown

    cloned.write("Makefile", "test: prep\n\tpython3 -m unittest -q\nprep:\n\ttouch owned\n")

    after = run_cli("trust", "--show", "--root", str(cloned.root), "--json").json
    assert after["approved"] is False
    assert any("touch owned" in line for c in after["commands"] for line in c["body"])


def test_a_changed_package_json_script_loses_its_approval(cloned: Project) -> None:
    (cloned.root / ".specrail.yaml").unlink()
    for name in ("pyproject.toml", "setup.cfg", "setup.py"):
        (cloned.root / name).unlink(missing_ok=True)
    scripts = {"test": "node --test", "pretest": "true"}
    cloned.write("package.json", json.dumps({"scripts": scripts}))
    approve_shown(cloned.root)
    assert "scripts.test: node --test" in run_cli("trust", "--show", "--root", str(cloned.root)).out

    cloned.write("package.json", json.dumps({"scripts": {**scripts, "pretest": "touch owned"}}))

    after = run_cli("trust", "--show", "--root", str(cloned.root))
    assert "not approved" in after.out and "scripts.pretest: touch owned" in after.out


def test_a_changed_tox_env_loses_its_approval(cloned: Project) -> None:
    text = (cloned.root / ".specrail.yaml").read_text(encoding="utf-8")
    (cloned.root / ".specrail.yaml").write_text(
        text.replace("run: python3 -m unittest -q\n", "run: tox -e py\n", 1), "utf-8"
    )
    cloned.write("tox.ini", "[testenv:py]\ncommands = python3 -m unittest -q\n")
    approve_shown(cloned.root)

    cloned.write("tox.ini", "[testenv:py]\ncommands = touch owned\n")

    after = run_cli("trust", "--show", "--root", str(cloned.root))
    assert "not approved" in after.out and "[testenv:py] commands = touch owned" in after.out


def test_trust_without_a_terminal_approves_nothing(cloned: Project) -> None:
    for extra in ((), ("--json",)):
        proc = subprocess.run(
            [sys.executable, "-m", "specrail", "trust", "--root", str(cloned.root), *extra],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert proc.returncode == 1, proc.stdout + proc.stderr
        assert "nothing approved" in proc.stdout + proc.stderr and "--approve" in proc.stdout + proc.stderr
        assert not trust.approval_file(cloned.root).exists()


def test_pointing_a_name_at_another_approved_command_needs_approval(cloned: Project) -> None:
    approve_shown(cloned.root)
    text = (cloned.root / ".specrail.yaml").read_text(encoding="utf-8")
    check, test = "python3 -m compileall -q notes tests", "python3 -m unittest -q\n"
    swapped = text.replace(check, "@@").replace(test, check + "\n").replace("@@", test.strip())
    (cloned.root / ".specrail.yaml").write_text(swapped, "utf-8")

    assert not trust.is_approved(cloned.root, listed(project_commands(cloned.root)))
    assert run_cli("trust", "--show", "--root", str(cloned.root), "--json").json["approved"] is False


def test_a_project_policy_that_runs_nothing_needs_approval(cloned: Project) -> None:
    approve_shown(cloned.root)
    text = (cloned.root / ".specrail.yaml").read_text(encoding="utf-8")
    (cloned.root / ".specrail.yaml").write_text(
        text.replace("verify: [check, test]", "verify: []").replace("required: [test]", "required: []"),
        "utf-8",
    )

    shown = run_cli("trust", "--show", "--root", str(cloned.root))
    assert "not approved" in shown.out and "runs verify: (none)" in shown.out


def test_policy_comes_from_the_project_not_the_session_record(cloned: Project) -> None:
    cloned.advance("VALIDATING")
    approve_shown(cloned.root)
    session_file = cloned.session_dir / "workflow-session.json"
    data = json.loads(session_file.read_text(encoding="utf-8"))
    data["config"]["implementation"]["verify"] = []
    data["config"]["validation"]["required"] = []
    data["config"]["validation"]["conditional"] = []
    session_file.write_text(json.dumps(data, indent=2), encoding="utf-8")
    sign_file(session_file)  # the record's own copy, even signed, is not the policy

    answer = cloned.ok("run-validations")

    assert "test" in {r["name"] for r in answer["results"]}, answer["results"]
