"""The block structure of a Markdown file that sections depend on, after CommonMark (stdlib only).

`scan` finds the document's top-level headings (ATX and setext), its thematic breaks, and the lines
inside code (fenced and indented) and HTML blocks, so a `# comment` in a code block or an HTML
block is no heading, and a `---` under a paragraph is a setext heading, not a separator. Headings
inside block quotes and list items are not sections and are left out. The tests compare the
result with a CommonMark implementation on a corpus of specs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

ATX_OPEN = re.compile(r" {0,3}(#{1,6})(?=[ \t]|$)")
SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
BREAK = re.compile(r"^ {0,3}(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$")
FENCE_OPEN = re.compile(r"^( {0,3})(`{3,}|~{3,})(.*)$")
QUOTE = re.compile(r"^ {0,3}>")
LIST_ITEM = re.compile(r"^( {0,3})([-+*]|([0-9]{1,9})[.)])(?:([ \t]+)(.*))?$")
BLOCK_TAGS = (
    "address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|details|dialog|"
    "dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|h1|h2|h3|h4|h5|h6|head|header|"
    "hr|html|iframe|legend|li|link|main|menu|menuitem|nav|noframes|ol|optgroup|option|p|param|search|"
    "section|summary|table|tbody|td|tfoot|th|thead|title|tr|track|ul"
)
ATTRIBUTE = r"""(?:\s+[A-Za-z_:][\w.:-]*(?:\s*=\s*(?:[^\s"'=<>`]+|'[^']*'|"[^"]*"))?)"""
# CommonMark's seven kinds of HTML block: how each starts, and what ends it (None: a blank line).
HTML_KINDS: list[tuple[re.Pattern[str], re.Pattern[str] | None, bool]] = [
    (
        re.compile(r"^ {0,3}<(?:script|pre|style|textarea)(?:\s|>|$)", re.IGNORECASE),
        re.compile(r"</(?:script|pre|style|textarea)>", re.IGNORECASE),
        True,
    ),
    (re.compile(r"^ {0,3}<!--"), re.compile(r"-->"), True),
    (re.compile(r"^ {0,3}<\?"), re.compile(r"\?>"), True),
    (re.compile(r"^ {0,3}<![A-Za-z]"), re.compile(r">"), True),
    (re.compile(r"^ {0,3}<!\[CDATA\["), re.compile(r"\]\]>"), True),
    (re.compile(rf"^ {{0,3}}</?(?:{BLOCK_TAGS})(?:\s|/?>|$)", re.IGNORECASE), None, True),
    (
        re.compile(rf"^ {{0,3}}(?:<[A-Za-z][A-Za-z0-9-]*{ATTRIBUTE}*\s*/?>|</[A-Za-z][A-Za-z0-9-]*\s*>)\s*$"),
        None,
        False,  # cannot interrupt a paragraph
    ),
]


@dataclass(frozen=True)
class Heading:
    level: int
    title: str
    line: int  # 1-based: the heading line (setext: its first text line)
    end: int  # the last line of the heading (setext: the underline)


@dataclass
class Blocks:
    headings: list[Heading] = field(default_factory=list)
    breaks: list[int] = field(default_factory=list)  # lines of top-level thematic breaks
    code: set[int] = field(default_factory=set)  # lines of code and HTML blocks (fences included)


def indent_of(line: str) -> int:
    width = 0
    for char in line:
        if char == " ":
            width += 1
        elif char == "\t":
            width += 4 - width % 4
        else:
            break
    return width


def fence_opens(line: str) -> tuple[str, int] | None:
    match = FENCE_OPEN.match(line)
    if not match or (match.group(2)[0] == "`" and "`" in match.group(3)):
        return None
    return match.group(2)[0], len(match.group(2))


def fence_closes(line: str, fence: tuple[str, int], base: int = 0) -> bool:
    """Whether `line` closes `fence`, opened in a container whose content starts at column `base`."""
    stripped = line.strip()
    return indent_of(line) - base < 4 and len(stripped) >= fence[1] and stripped == fence[0] * len(stripped)


NO_HTML = re.compile(r"(?!)")  # html_start's answer when `line` starts no HTML block


def html_start(line: str, in_paragraph: bool) -> re.Pattern[str] | None:
    """The end condition of the HTML block `line` starts (None: a blank line ends it), or NO_HTML."""
    for start, end, interrupts in HTML_KINDS:
        if start.match(line) and (interrupts or not in_paragraph):
            return end
    return NO_HTML


def atx(line: str) -> tuple[int, str] | None:
    """(level, title) of an ATX heading line, without its closing `#`s; None for any other line.

    Written as code, not one regular expression: the expression's lazy title against its optional
    closing sequence took time quadratic in a line of spaces and tabs.
    """
    opened = ATX_OPEN.match(line)
    if opened is None:
        return None
    rest = line[opened.end() :].strip(" \t")
    unclosed = rest.rstrip("#")
    if not unclosed:
        title = ""
    elif unclosed != rest and unclosed[-1] in " \t":
        title = unclosed.rstrip(" \t")
    else:
        title = rest
    return len(opened.group(1)), title


def interrupts(line: str) -> bool:
    """Whether `line` starts a block that ends a paragraph (else it continues it lazily)."""
    if indent_of(line) >= 4:
        return False
    return bool(
        atx(line) is not None
        or BREAK.match(line)
        or fence_opens(line)
        or QUOTE.match(line)
        or html_start(line, True) is not NO_HTML
        or _list_item(line, in_paragraph=True)
    )


def _list_item(line: str, *, in_paragraph: bool) -> int | None:
    """The content indent of the list item `line` starts, or None."""
    match = LIST_ITEM.match(line)
    if not match:
        return None
    start, marker, number, gap, rest = match.groups()
    empty = not (rest or "").strip()
    if in_paragraph and (empty or (number is not None and int(number) != 1)):
        return None
    if gap is None or empty:
        return len(start) + len(marker) + 1
    spaces = indent_of(line[len(start) + len(marker) :]) if gap else 0
    return len(start) + len(marker) + (spaces if 1 <= spaces <= 4 else 1)


def scan(text: str) -> Blocks:
    """Top-level headings, thematic breaks and code lines of `text`."""
    out = Blocks()
    fence: tuple[str, int] | None = None
    fence_base = 0
    in_html = False
    html_end: re.Pattern[str] | None = None
    paragraph: list[str] = []
    para_line = 0
    list_indent: int | None = None
    nested_text = False  # the last line inside a list item or quote was paragraph text
    quoted = False
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip("\n")
        blank = not line.strip()
        if fence is not None:
            if fence_base and not blank and indent_of(line) < fence_base:
                fence, list_indent, nested_text = None, None, False  # the item ends, its code block too
            else:
                out.code.add(number)
                if fence_closes(line, fence, fence_base):
                    fence = None
                continue
        if in_html:
            if html_end is None and blank:
                in_html = False
                continue
            out.code.add(number)
            if html_end is not None and html_end.search(line):
                in_html = False
            continue
        if blank:
            paragraph, nested_text, quoted = [], False, False
            continue
        indent = indent_of(line)
        if list_indent is not None:
            if indent >= list_indent:
                inner = fence_opens(line[list_indent:]) if indent - list_indent < 4 else None
                if inner:
                    fence, fence_base = inner, list_indent
                nested_text = not inner
                continue
            if nested_text and not interrupts(line):
                continue  # a lazy continuation line of the item's paragraph
            list_indent, nested_text = None, False
        if quoted:
            if QUOTE.match(line) or (nested_text and not interrupts(line)):
                continue
            quoted, nested_text = False, False
        if indent >= 4:
            if paragraph:
                paragraph.append(line)
            else:
                out.code.add(number)
            continue
        opened = fence_opens(line)
        if opened:
            fence, fence_base, paragraph = opened, 0, []
            out.code.add(number)
            continue
        underline = SETEXT.match(line)
        if paragraph and underline:
            title = " ".join(" ".join(paragraph).split())
            level = 1 if underline.group(1)[0] == "=" else 2
            out.headings.append(Heading(level, title, para_line, number))
            paragraph = []
            continue
        if BREAK.match(line):
            out.breaks.append(number)
            paragraph = []
            continue
        heading = atx(line)
        if heading is not None:
            out.headings.append(Heading(heading[0], heading[1], number, number))
            paragraph = []
            continue
        end = html_start(line, bool(paragraph))
        if end is not NO_HTML:
            out.code.add(number)
            html_end, in_html = end, end is None or not end.search(line)
            paragraph = []
            continue
        if QUOTE.match(line):
            quoted, nested_text, paragraph = True, True, []
            continue
        item = _list_item(line, in_paragraph=bool(paragraph))
        if item is not None:
            list_indent, paragraph = item, []
            rest = line[item:] if len(line) > item else ""
            inner = fence_opens(rest)
            if inner:
                fence, fence_base = inner, item
            nested_text = bool(rest.strip()) and not inner
            continue
        if not paragraph:
            para_line = number
        paragraph.append(line)
    return out
