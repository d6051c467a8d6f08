"""The feature spec template's words in the languages sessions are written in (stdlib only).

English and Chinese come from the seed; Japanese, Korean and German are the names writers in
those languages give the same sections. A session in another language is read by section number.
"""

from __future__ import annotations

from specrail.validation.normalise import language_tag

FEATURE_SPEC_SECTIONS = (
    "Requirements Summary",
    "Design Decisions",
    "Interface Contract",
    "Constraints & Risks",
    "Acceptance Criteria",
    "Detailed Analysis References",
    "Cross-Feature Dependencies",
)
# Per language, per section: the names accepted (matched as a prefix of the heading, lower case).
SECTION_NAMES: dict[str, tuple[tuple[str, ...], ...]] = {
    "zh": (
        ("需求摘要", "需求概述", "需求总结"),
        ("设计决策",),
        ("接口契约", "接口约定", "接口定义"),
        ("约束与风险", "约束和风险", "约束与风险管理"),
        ("验收标准",),
        ("详细分析引用", "详细分析参考", "分析引用"),
        ("跨功能依赖", "跨特性依赖", "功能间依赖"),
    ),
    "ja": (
        ("要件概要", "要件の概要", "要件サマリー"),
        ("設計上の決定", "設計判断", "設計決定", "設計の決定"),
        ("インターフェース契約", "インタフェース契約", "インターフェース仕様"),
        ("制約とリスク", "制約およびリスク"),
        ("受け入れ基準", "受入基準", "受け入れ条件"),
        ("詳細分析の参照", "詳細分析参照", "分析の参照"),
        ("機能間の依存関係", "機能間依存関係", "機能横断の依存関係"),
    ),
    "ko": (
        ("요구사항 요약", "요구 사항 요약"),
        ("설계 결정",),
        ("인터페이스 계약", "인터페이스 명세"),
        ("제약 및 위험", "제약과 위험", "제약 사항 및 위험"),
        ("인수 기준", "수용 기준", "승인 기준"),
        ("상세 분석 참조", "세부 분석 참조"),
        ("기능 간 의존성", "기능 간 의존 관계", "교차 기능 의존성"),
    ),
    "de": (
        ("anforderungen", "zusammenfassung der anforderungen"),
        ("designentscheidungen", "entwurfsentscheidungen"),
        ("schnittstellenvertrag", "schnittstellen"),
        ("einschränkungen und risiken", "randbedingungen und risiken"),
        ("abnahmekriterien", "akzeptanzkriterien"),
        ("detaillierte analysereferenzen", "verweise auf die analysen", "analyseverweise"),
        ("funktionsübergreifende abhängigkeiten", "abhängigkeiten zwischen features", "abhängigkeiten"),
    ),
}
SPEC_TITLES = (
    *("Feature Spec:", "Feature Spec\uff1a", "功能规格", "特性规格", "功能规范", "特性规范"),
    *("機能仕様", "機能仕様書", "기능 명세", "기능 사양", "Funktionsspezifikation", "Feature-Spezifikation"),
)
# Section 7's two entries: English, then the other languages' words for them.
DEPENDENCY_ENTRIES = (
    ("Depends on", ("依赖于", "依存先", "依存する機能", "의존 대상", "선행 기능", "abhängig von")),
    ("Required by", ("被依赖", "被依存", "依存元", "피의존", "후행 기능", "benötigt von")),
)


def has_names(language: str | None) -> bool:
    """True when the section names of `language` are known (English, or a table above)."""
    primary = (language_tag(language or "en") or "en").split("-", 1)[0].lower()
    return primary == "en" or primary in SECTION_NAMES


def section_name_matches(name: str, number: int) -> bool:
    """The seed's section `number` in any known language, with any "[CORE SECTION]"-like suffix."""
    core = name.rstrip(" []").lower().split(" [")[0].strip(" *")
    english = FEATURE_SPEC_SECTIONS[number - 1].lower()
    if core == english or core.replace(" and ", " & ") == english or english in core:
        return True
    return any(core.startswith(local) for names in SECTION_NAMES.values() for local in names[number - 1])


def expected_heading(number: int) -> str:
    """The heading section `number` should have, with its Chinese and Japanese names."""
    others = " / ".join(SECTION_NAMES[lang][number - 1][0] for lang in ("zh", "ja"))
    return f"'## {number}. {FEATURE_SPEC_SECTIONS[number - 1]}' (or {others})"
