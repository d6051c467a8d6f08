"""Each runner's report read as the runner writes it; a runner asked for its report by the command."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from specrail.spec_driven import evidence, runner, testreports


def ids(report: testreports.TestReport | None) -> list[tuple[str, str]]:
    assert report is not None
    return [(c.id, c.status) for c in report.cases]


def test_junit_of_pytest_unittest_vitest_and_node() -> None:
    xml = b"""<?xml version="1.0"?>
<testsuites><testsuite name="pytest">
  <testcase classname="tests.test_core.TestTags" name="test_clean[a]"/>
  <testcase classname="tests.test_core" name="test_fail"><failure message="x"/></testcase>
  <testcase classname="tests.test_core" name="test_skip"><skipped/></testcase>
  <testcase classname="test/notes.test.ts" name="suite &gt; adds"/>
  <testsuite name="suite"><testcase classname="test" name="inner"><error/></testcase></testsuite>
</testsuite></testsuites>"""
    assert ids(testreports.parse_junit(xml)) == [
        ("tests.test_core.TestTags.test_clean[a]", "passed"),
        ("tests.test_core.test_fail", "failed"),
        ("tests.test_core.test_skip", "skipped"),
        ("test/notes.test.ts::suite > adds", "passed"),
        ("::suite > inner", "failed"),
    ]


def test_a_report_with_entities_or_broken_xml_is_not_read() -> None:
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><testsuites>&a;</testsuites>'
    assert testreports.parse_junit(bomb) is None
    assert testreports.parse_junit(b"<testsuites><testcase") is None


def test_jest_json(tmp_path: Path) -> None:
    doc = {
        "numTotalTests": 2,
        "testResults": [
            {
                "name": str(tmp_path / "src" / "notes.test.js"),
                "assertionResults": [
                    {"ancestorTitles": ["notes"], "title": "filters", "status": "passed"},
                    {"ancestorTitles": [], "title": "todo", "status": "pending"},
                ],
            }
        ],
    }
    assert ids(testreports.parse_jest(json.dumps(doc).encode(), tmp_path)) == [
        ("src/notes.test.js::notes > filters", "passed"),
        ("src/notes.test.js::todo", "skipped"),
    ]


def test_go_test_json() -> None:
    lines = [
        {"Action": "run", "Package": "example.com/notes", "Test": "TestFilter"},
        {"Action": "output", "Package": "example.com/notes", "Test": "TestFilter", "Output": "ok\n"},
        {"Action": "pass", "Package": "example.com/notes", "Test": "TestFilter"},
        {"Action": "fail", "Package": "example.com/notes", "Test": "TestOther"},
        {"Action": "pass", "Package": "example.com/notes"},
    ]
    output = "\n".join(json.dumps(x) for x in lines)
    assert ids(testreports.parse_go(output)) == [("::TestFilter", "passed"), ("::TestOther", "failed")]
    assert testreports.parse_go("ok  \texample.com/notes\t0.01s") is None


def test_commands_get_their_report_asked_for(tmp_path: Path) -> None:
    prepared = testreports.prepare("python3 -m pytest -q", tmp_path)
    assert prepared.command.startswith("python3 -m pytest -q --junitxml=")
    assert not prepared.command.split("--junitxml=")[1].startswith(str(tmp_path))  # outside the tree
    prepared.cleanup()
    assert testreports.prepare("go test ./...", tmp_path).command == "go test -json ./..."
    assert testreports.prepare("cargo test", tmp_path).command == "cargo test"
    (tmp_path / "package.json").write_text('{"scripts": {"test": "jest --ci"}}', encoding="utf-8")
    jest = testreports.prepare("npm test", tmp_path)
    assert jest.command.startswith("npm test -- --json --outputFile=")
    jest.cleanup()
    assert testreports.prepare("make test && echo ok", tmp_path).command == "make test && echo ok"


def test_matching_link_ids_to_report_ids() -> None:
    assert evidence.matches(
        "tests/test_core.py::TestTags::test_clean", "tests.test_core.TestTags.test_clean[a]"
    )
    assert evidence.matches("tests/test_core.py", "tests.test_core.TestTags.test_clean")
    assert not evidence.matches("tests/test_core.py::test_clean", "tests.test_core.test_clean_all")
    assert evidence.matches("test/notes.test.js::inner", "::suite > inner")
    assert evidence.matches("notes_test.go::TestFilter", "::TestFilter")
    assert evidence.matches("src/notes.test.js::filters", "src/notes.test.js::notes > filters")
    assert evidence.matches("src/lib.rs::tests::adds", "src/lib.rs::tests::adds")


@pytest.mark.skipif(shutil.which("cargo") is None, reason="needs cargo")
def test_cargo_test_read_from_libtest_output(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "Cargo.toml").write_text(
        '[package]\nname = "notes"\nversion = "0.1.0"\nedition = "2021"\n', encoding="utf-8"
    )
    (tmp_path / "src" / "lib.rs").write_text(
        "pub fn add(a: i32, b: i32) -> i32 { a + b }\n"
        "#[cfg(test)]\nmod tests {\n    #[test]\n    fn adds() { assert_eq!(super::add(2, 3), 5); }\n"
        "    #[test]\n    fn breaks() { assert_eq!(super::add(2, 3), 6); }\n}\n",
        encoding="utf-8",
    )
    subprocess.run(["cargo", "build", "--tests", "-q", "--offline"], cwd=tmp_path, check=True, timeout=300)
    result = runner.run("test", "cargo test --offline", tmp_path, timeout=300)
    assert result.status == "FAIL"
    assert sorted(ids(result.tests)) == [
        ("src/lib.rs::tests::adds", "passed"),
        ("src/lib.rs::tests::breaks", "failed"),
    ]


def test_which_test_a_marker_links(tmp_path: Path) -> None:
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_tags.py").write_text(
        '"""spec: specs/notes.md#1"""\n\n\n'
        "class TestTags:\n"
        "    # spec: specs/notes.md#2.1\n"
        "    @staticmethod\n"
        "    def test_clean():\n"
        "        pass\n\n"
        "    def test_filter(self):\n"
        '        """Filters. spec: specs/notes.md#3.4"""\n',
        encoding="utf-8",
    )
    (tmp_path / "tests" / "notes.test.js").write_text(
        "describe('notes', () => {\n  it('adds', () => {\n    // spec: specs/notes.md#3.1\n  });\n});\n",
        encoding="utf-8",
    )
    (tmp_path / "notes.py").write_text("# spec: specs/notes.md#9 (not a test file)\n", encoding="utf-8")
    found = {key: [link.test for link in links] for key, links in evidence.marker_links(tmp_path).items()}
    assert found == {
        ("specs/notes.md", "1"): ["tests/test_tags.py"],
        ("specs/notes.md", "2.1"): ["tests/test_tags.py::TestTags::test_clean"],
        ("specs/notes.md", "3.4"): ["tests/test_tags.py::TestTags::test_filter"],
        ("specs/notes.md", "3.1"): ["tests/notes.test.js::adds"],
    }


def test_tests_lines_of_a_section() -> None:
    body = (
        "Text with `notes/core.py`.\n\n- **Tests:** `tests/test_core.py::test_a`,\n"
        "  `tests/test_tags.py`\n\nAfter the list: `tests/other.py` is not linked.\n"
    )
    assert evidence.spec_links(body) == ["tests/test_core.py::test_a", "tests/test_tags.py"]
