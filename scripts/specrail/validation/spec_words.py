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
# The synthesis headings of the changelog and the review report in Chinese (the seed), Japanese,
# Korean and German, lower case; a heading may also carry the English one.
HEADING_NAMES: dict[str, tuple[str, ...]] = {
    "Synthesis Changelog": (
        *("综合变更日志", "综合变更记录", "综合日志", "統合変更履歴", "統合の変更履歴", "변경 로그"),
        *("합성 변경 로그", "syntheseprotokoll", "änderungsprotokoll"),
    ),
    "Enhancements Applied": (
        *("已应用的改进", "已应用改进", "应用的改进", "適用した改善", "適用された改善", "적용된 개선"),
        "angewendete verbesserungen",
    ),
    "Clarifications Resolved": (
        *("已解决的澄清", "澄清结果", "已澄清", "解決した確認事項", "解決済みの確認事項", "해결된 확인 사항"),
        "geklärte fragen",
    ),
    "Conflicts Resolved": (
        *("已解决的冲突", "冲突解决", "解決した対立", "解決済みの対立", "解決した競合", "해결된 충돌"),
        "gelöste konflikte",
    ),
    "Unresolved Items": (
        "未解决事项",
        "未解决项",
        "未解决的事项",
        "未解決事項",
        "未解決の事項",
        "미해결 항목",
        "offene punkte",
    ),
    "Review Report": (
        "审查报告",
        "评审报告",
        "レビュー報告",
        "レビューレポート",
        "검토 보고서",
        "prüfbericht",
    ),
    "Fixes Applied": (
        "已应用的修复",
        "已应用修复",
        "修复项",
        "適用した修正",
        "적용된 수정",
        "angewendete korrekturen",
    ),
    "Flags Raised": (
        "提出的标记",
        "已提出的标记",
        "标记问题",
        "提起したフラグ",
        "제기된 플래그",
        "gemeldete markierungen",
    ),
    "Review Results": ("审查结果", "评审结果", "レビュー結果", "검토 결과", "prüfergebnisse"),
}
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
