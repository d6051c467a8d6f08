# ruff: noqa: RUF001, E501  (real Chinese, Japanese and Korean text: full-width punctuation, long lines)
"""One feature spec written in English, Chinese, Japanese, Korean and German, paragraph for
paragraph, at real length: the same content must measure alike in every language."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Texts:
    title: str
    sections: tuple[str, ...]  # the seven section names
    requirements: str
    decisions: tuple[str, ...]  # design decision paragraphs, cycled under numbered topics
    topic: str  # "Decision {n}" in the language
    interface: str
    risks: str
    acceptance: str
    depends: str  # section 7 body


EN = Texts(
    "Feature Spec: F-001 - Offline Sync",
    (
        "Requirements Summary",
        "Design Decisions",
        "Interface Contract",
        "Constraints & Risks",
        "Acceptance Criteria",
        "Detailed Analysis References",
        "Cross-Feature Dependencies",
    ),
    "Members of a team edit shared notes on phones and laptops, often on trains or in basements where "
    "the network drops for minutes at a time. Every edit made offline must survive, reach the other "
    "devices once the network returns, and never silently overwrite what a colleague wrote in the "
    "meantime. The product manager asks that the first sync after reconnecting finish within a minute "
    "for a typical workspace of two thousand notes.",
    (
        "Each device records its edits in a local journal before it applies them to the note, so a crash "
        "or a dead battery loses nothing that the user saw on screen. The journal holds one entry per "
        "operation with the device identifier, a logical clock and the affected block. The system "
        "architect preferred this over saving whole snapshots, because a journal lets two devices exchange "
        "only what changed, which keeps the traffic small on slow mobile links. The trade-off is that the "
        "journal grows while a device stays offline, so it is compacted after every successful sync.",
        "Concurrent edits to the same block are merged with a text CRDT rather than by letting the last "
        "writer win. The UX expert argued that a lost sentence destroys trust in the product far more than "
        "an occasional odd merge, and the data architect confirmed that the CRDT state stays below ten "
        "percent of the note size for realistic editing sessions. When a merge interleaves the words of "
        "two people, the note shows a merge notice on that block until someone reviews it.",
        "The server keeps the authoritative history but never rewrites a client's operations: it orders "
        "them, stores them and forwards them to the other members of the workspace. Clients that have been "
        "offline for more than thirty days receive a fresh snapshot instead of the full history, because "
        "replaying months of operations would take longer than downloading the current state. The "
        "security expert required that every operation be signed with the device key, so a stolen "
        "session token alone cannot inject edits.",
    ),
    "Decision {n}",
    "The client sends POST /sync with its workspace identifier, the last server sequence number it has "
    "seen and the operations it recorded since then. The server answers with the operations the client "
    "is missing, the new sequence number and, when needed, a snapshot reference. Both directions use "
    "the same JSON operation format, and every field is described in the shared schema.",
    "Mobile devices have little storage and unreliable batteries, so the journal must stay small and "
    "every write must be durable before the interface confirms it. A device that stays offline for "
    "weeks may build a journal too large to upload on a slow link; the client then warns the user and "
    "uploads it in pieces. Clock skew between devices must never change the order of operations.",
    "An edit made offline appears on every other device of the workspace within sixty seconds after "
    "the network returns. Two people editing the same paragraph offline both find their words in the "
    "merged note, marked with a merge notice. Pulling the battery during an edit loses nothing that "
    "was shown on screen before the failure.",
    "- **Depends on**: none\n- **Required by**: none\n- **Shared patterns**: the operation journal",
)

ZH = Texts(
    "功能规格: F-001 - 离线同步",
    ("需求摘要", "设计决策", "接口契约", "约束与风险", "验收标准", "详细分析引用", "跨功能依赖"),
    "团队成员在手机和笔记本电脑上编辑共享笔记，常常是在火车上或地下室里，网络会一连几分钟中断。离线时做出的"
    "每一次编辑都必须保留下来，在网络恢复后送达其他设备，并且绝不能悄悄覆盖同事在此期间写下的内容。产品经理"
    "要求，对于一个包含两千条笔记的典型工作区，重新连接后的第一次同步要在一分钟内完成。",
    (
        "每台设备在把编辑应用到笔记之前，先把它记录到本地日志中，因此崩溃或电池耗尽都不会丢失用户在屏幕上看到的"
        "任何内容。日志中每个操作一条记录，包含设备标识、逻辑时钟和受影响的块。系统架构师更倾向于这种方式而不是"
        "保存整份快照，因为日志让两台设备只交换发生变化的部分，从而在缓慢的移动网络上保持较小的流量。代价是设备"
        "离线期间日志会不断增长，所以每次同步成功后都会对日志进行压缩。",
        "对同一块的并发编辑使用文本 CRDT 合并，而不是让最后写入者获胜。用户体验专家认为，丢失一句话对产品信任的"
        "伤害远大于偶尔出现的奇怪合并结果，数据架构师也确认，在真实的编辑场景中 CRDT 状态始终低于笔记大小的百分之"
        "十。当合并把两个人的文字交错在一起时，笔记会在该块上显示合并提示，直到有人查看为止。",
        "服务器保存权威的历史记录，但从不改写客户端的操作：它只负责排序、存储，并把操作转发给工作区的其他成员。"
        "离线超过三十天的客户端会收到一份新的快照，而不是完整的历史记录，因为重放几个月的操作比下载当前状态更慢。"
        "安全专家要求每个操作都用设备密钥签名，这样仅凭被盗的会话令牌无法注入编辑。",
    ),
    "决策 {n}",
    "客户端发送 POST /sync，附带工作区标识、它见过的最后一个服务器序号，以及此后记录的操作。服务器返回客户端"
    "缺少的操作、新的序号，必要时还有一个快照引用。两个方向使用同一种 JSON 操作格式，每个字段都在共享模式中"
    "说明。",
    "移动设备的存储空间有限，电池也不可靠，因此日志必须保持较小，而且每次写入在界面确认之前都必须持久化。离线"
    "数周的设备可能积累出一份过大的日志，无法通过慢速网络上传；此时客户端会提醒用户并分段上传。设备之间的时钟"
    "偏差绝不能改变操作的顺序。",
    "离线时做出的编辑在网络恢复后六十秒内出现在工作区的所有其他设备上。两个人离线编辑同一段落时，合并后的笔记"
    "中都能找到各自的文字，并带有合并提示。编辑过程中拔掉电池，不会丢失故障前屏幕上显示的任何内容。",
    "- **依赖于**: 无\n- **被依赖**: 无\n- **共享模式**: 操作日志",
)

JA = Texts(
    "機能仕様: F-001 - オフライン同期",
    (
        "要件概要",
        "設計上の決定",
        "インターフェース契約",
        "制約とリスク",
        "受け入れ基準",
        "詳細分析の参照",
        "機能間の依存関係",
    ),
    "チームのメンバーはスマートフォンやノートパソコンで共有ノートを編集するが、電車の中や地下ではネットワークが"
    "数分間途切れることがよくある。オフラインで行った編集はすべて失われてはならず、ネットワークが戻ったら他の"
    "端末に届き、その間に同僚が書いた内容を黙って上書きしてはならない。プロダクトマネージャーは、ノートが二千件"
    "ある一般的なワークスペースで、再接続後の最初の同期を一分以内に終えることを求めている。",
    (
        "各端末は編集をノートに適用する前にローカルのジャーナルに記録するため、クラッシュやバッテリー切れが起きても、"
        "ユーザーが画面で見た内容は何も失われない。ジャーナルには操作ごとに一件、端末の識別子、論理クロック、対象の"
        "ブロックを記録する。システムアーキテクトは、スナップショット全体を保存する方式よりこちらを選んだ。ジャーナル"
        "なら二台の端末が変更部分だけをやり取りでき、遅いモバイル回線でも通信量を小さく保てるからである。その代わり、"
        "端末がオフラインの間はジャーナルが大きくなるため、同期が成功するたびに圧縮する。",
        "同じブロックへの同時編集は、最後に書いた人を優先するのではなく、テキスト CRDT でマージする。UX エキスパートは、"
        "一文が消えることは、たまに起きる不自然なマージよりもはるかに製品への信頼を損なうと主張し、データアーキテクト"
        "は、現実的な編集では CRDT の状態がノートの大きさの一割未満に収まることを確認した。マージによって二人の文章が"
        "入り混じった場合、誰かが確認するまで、そのブロックにマージ通知を表示する。",
        "サーバーは正式な履歴を保持するが、クライアントの操作を書き換えることはない。操作を並べ、保存し、ワークスペース"
        "の他のメンバーに転送するだけである。三十日を超えてオフラインだったクライアントには、履歴全体ではなく新しい"
        "スナップショットを送る。数か月分の操作を再生するほうが、現在の状態をダウンロードするより時間がかかるからだ。"
        "セキュリティエキスパートは、すべての操作に端末の鍵で署名することを求めた。これにより、盗まれたセッション"
        "トークンだけでは編集を注入できない。",
    ),
    "決定 {n}",
    "クライアントは POST /sync に、ワークスペースの識別子、最後に受け取ったサーバーの通し番号、それ以降に記録した"
    "操作を付けて送る。サーバーは、クライアントに足りない操作、新しい通し番号、必要であればスナップショットへの"
    "参照を返す。双方向とも同じ JSON の操作形式を使い、各フィールドは共有スキーマで説明する。",
    "モバイル端末は保存容量が小さく、バッテリーも当てにならないため、ジャーナルは小さく保ち、画面で確定を示す前に"
    "書き込みを永続化しなければならない。何週間もオフラインの端末では、遅い回線ではアップロードできないほど"
    "ジャーナルが大きくなることがある。その場合、クライアントはユーザーに警告し、分割してアップロードする。端末間の"
    "時計のずれによって操作の順序が変わってはならない。",
    "オフラインで行った編集は、ネットワークが戻ってから六十秒以内にワークスペースの他のすべての端末に表示される。"
    "二人がオフラインで同じ段落を編集した場合、マージ後のノートには両方の文章が残り、マージ通知が付く。編集中に"
    "バッテリーを抜いても、障害の前に画面に表示されていた内容は何も失われない。",
    "- **依存先**: なし\n- **被依存**: なし\n- **共有パターン**: 操作ジャーナル",
)

KO = Texts(
    "기능 명세: F-001 - 오프라인 동기화",
    (
        "요구사항 요약",
        "설계 결정",
        "인터페이스 계약",
        "제약 및 위험",
        "인수 기준",
        "상세 분석 참조",
        "기능 간 의존성",
    ),
    "팀원들은 휴대폰과 노트북에서 공유 노트를 편집하며, 기차 안이나 지하에서는 네트워크가 몇 분씩 끊기는 일이 "
    "잦다. 오프라인에서 한 모든 편집은 사라지지 않아야 하고, 네트워크가 돌아오면 다른 기기에 전달되어야 하며, 그 "
    "사이에 동료가 쓴 내용을 조용히 덮어써서는 안 된다. 제품 관리자는 노트가 이천 개인 일반적인 작업 공간에서 "
    "다시 연결한 뒤 첫 동기화가 일 분 안에 끝나기를 요구한다.",
    (
        "각 기기는 편집을 노트에 적용하기 전에 로컬 저널에 기록하므로, 충돌이나 배터리 방전이 일어나도 사용자가 "
        "화면에서 본 내용은 하나도 잃지 않는다. 저널에는 작업마다 한 항목씩 기기 식별자, 논리 시계, 대상 블록을 "
        "기록한다. 시스템 아키텍트는 전체 스냅숏을 저장하는 방식보다 이 방식을 택했는데, 저널을 쓰면 두 기기가 "
        "바뀐 부분만 주고받을 수 있어 느린 모바일 회선에서도 트래픽을 작게 유지할 수 있기 때문이다. 대신 기기가 "
        "오프라인인 동안 저널이 커지므로, 동기화가 성공할 때마다 저널을 압축한다.",
        "같은 블록에 대한 동시 편집은 마지막에 쓴 사람을 우선하지 않고 텍스트 CRDT로 병합한다. UX 전문가는 문장 "
        "하나가 사라지는 것이 가끔 생기는 어색한 병합보다 제품에 대한 신뢰를 훨씬 크게 해친다고 주장했고, 데이터 "
        "아키텍트는 현실적인 편집에서 CRDT 상태가 노트 크기의 십 퍼센트 미만으로 유지된다는 것을 확인했다. 병합으로 "
        "두 사람의 문장이 섞이면, 누군가 확인할 때까지 해당 블록에 병합 알림을 표시한다.",
        "서버는 공식 이력을 보관하지만 클라이언트의 작업을 다시 쓰지는 않는다. 작업의 순서를 정하고 저장한 뒤 작업 "
        "공간의 다른 구성원에게 전달할 뿐이다. 삼십 일 넘게 오프라인이었던 클라이언트는 전체 이력 대신 새 스냅숏을 "
        "받는데, 몇 달 치 작업을 재생하는 것이 현재 상태를 내려받는 것보다 오래 걸리기 때문이다. 보안 전문가는 모든 "
        "작업에 기기 키로 서명하도록 요구했으며, 그래서 도난당한 세션 토큰만으로는 편집을 끼워 넣을 수 없다.",
    ),
    "결정 {n}",
    "클라이언트는 작업 공간 식별자, 마지막으로 본 서버 일련번호, 그 이후에 기록한 작업을 담아 POST /sync를 "
    "보낸다. 서버는 클라이언트에 없는 작업, 새 일련번호, 필요하면 스냅숏 참조를 돌려준다. 양방향 모두 같은 JSON "
    "작업 형식을 쓰며, 모든 필드는 공유 스키마에 설명되어 있다.",
    "모바일 기기는 저장 공간이 작고 배터리도 믿을 수 없으므로, 저널은 작게 유지해야 하고 화면에서 확인을 보여 "
    "주기 전에 모든 쓰기를 영구 저장해야 한다. 몇 주 동안 오프라인인 기기는 느린 회선으로 올릴 수 없을 만큼 큰 "
    "저널을 쌓을 수 있으며, 이때 클라이언트는 사용자에게 경고하고 나누어 업로드한다. 기기 사이의 시계 차이가 작업 "
    "순서를 바꾸어서는 안 된다.",
    "오프라인에서 한 편집은 네트워크가 돌아온 뒤 육십 초 안에 작업 공간의 다른 모든 기기에 나타난다. 두 사람이 "
    "오프라인에서 같은 문단을 편집하면, 병합된 노트에 두 사람의 문장이 모두 남고 병합 알림이 붙는다. 편집 중에 "
    "배터리를 빼도 장애 전에 화면에 보이던 내용은 하나도 잃지 않는다.",
    "- **Depends on**: 없음\n- **Required by**: 없음\n- **공유 패턴**: 작업 저널",
)

DE = Texts(
    "Feature Spec: F-001 - Offline-Synchronisation",
    (
        "Requirements Summary",
        "Design Decisions",
        "Interface Contract",
        "Constraints & Risks",
        "Acceptance Criteria",
        "Detailed Analysis References",
        "Cross-Feature Dependencies",
    ),
    "Die Mitglieder eines Teams bearbeiten gemeinsame Notizen auf Telefonen und Laptops, oft im Zug oder "
    "im Keller, wo das Netz minutenlang ausfällt. Jede offline vorgenommene Änderung muss erhalten bleiben, "
    "die anderen Geräte erreichen, sobald das Netz zurück ist, und darf nie stillschweigend überschreiben, "
    "was eine Kollegin in der Zwischenzeit geschrieben hat. Die Produktmanagerin verlangt, dass die erste "
    "Synchronisation nach dem Wiederverbinden für einen typischen Arbeitsbereich mit zweitausend Notizen "
    "innerhalb einer Minute abgeschlossen ist.",
    (
        "Jedes Gerät schreibt seine Änderungen in ein lokales Journal, bevor es sie auf die Notiz anwendet, "
        "sodass ein Absturz oder ein leerer Akku nichts verliert, was der Nutzer auf dem Bildschirm gesehen "
        "hat. Das Journal enthält pro Operation einen Eintrag mit der Gerätekennung, einer logischen Uhr und "
        "dem betroffenen Block. Der Systemarchitekt zog dies dem Speichern ganzer Schnappschüsse vor, weil "
        "zwei Geräte mit einem Journal nur das Geänderte austauschen, was den Datenverkehr auf langsamen "
        "Mobilverbindungen klein hält. Der Preis ist, dass das Journal wächst, solange ein Gerät offline "
        "bleibt; deshalb wird es nach jeder erfolgreichen Synchronisation verdichtet.",
        "Gleichzeitige Änderungen am selben Block werden mit einem Text-CRDT zusammengeführt, statt den "
        "letzten Schreiber gewinnen zu lassen. Die UX-Expertin argumentierte, dass ein verlorener Satz das "
        "Vertrauen in das Produkt weit mehr zerstört als eine gelegentlich seltsame Zusammenführung, und die "
        "Datenarchitektin bestätigte, dass der CRDT-Zustand bei realistischer Bearbeitung unter zehn Prozent "
        "der Notizgröße bleibt. Wenn eine Zusammenführung die Wörter zweier Personen verschränkt, zeigt die "
        "Notiz an diesem Block einen Hinweis, bis jemand ihn prüft.",
        "Der Server hält die maßgebliche Historie, schreibt aber nie die Operationen eines Clients um: Er "
        "ordnet sie, speichert sie und leitet sie an die anderen Mitglieder des Arbeitsbereichs weiter. "
        "Clients, die länger als dreißig Tage offline waren, erhalten einen frischen Schnappschuss statt der "
        "vollständigen Historie, weil das Nachspielen monatelanger Operationen länger dauern würde als das "
        "Herunterladen des aktuellen Zustands. Der Sicherheitsexperte verlangte, dass jede Operation mit dem "
        "Geräteschlüssel signiert wird, damit ein gestohlenes Sitzungstoken allein keine Änderungen einschleusen kann.",
    ),
    "Entscheidung {n}",
    "Der Client sendet POST /sync mit der Kennung des Arbeitsbereichs, der letzten gesehenen "
    "Server-Sequenznummer und den seitdem aufgezeichneten Operationen. Der Server antwortet mit den "
    "Operationen, die dem Client fehlen, der neuen Sequenznummer und bei Bedarf einem Verweis auf einen "
    "Schnappschuss. Beide Richtungen nutzen dasselbe JSON-Format, und jedes Feld ist im gemeinsamen "
    "Schema beschrieben.",
    "Mobile Geräte haben wenig Speicher und unzuverlässige Akkus, daher muss das Journal klein bleiben "
    "und jeder Schreibvorgang dauerhaft gespeichert sein, bevor die Oberfläche ihn bestätigt. Ein Gerät, "
    "das wochenlang offline bleibt, kann ein Journal anlegen, das zu groß für eine langsame Verbindung "
    "ist; der Client warnt dann den Nutzer und lädt es in Teilen hoch. Abweichende Uhren der Geräte dürfen "
    "die Reihenfolge der Operationen nie verändern.",
    "Eine offline vorgenommene Änderung erscheint innerhalb von sechzig Sekunden nach der Rückkehr des "
    "Netzes auf jedem anderen Gerät des Arbeitsbereichs. Bearbeiten zwei Personen offline denselben "
    "Absatz, finden beide ihre Wörter in der zusammengeführten Notiz, markiert mit einem Hinweis. Wird "
    "der Akku während einer Bearbeitung entfernt, geht nichts verloren, was vorher angezeigt wurde.",
    "- **Depends on**: none\n- **Required by**: none\n- **Shared patterns**: das Operationsjournal",
)

LANGUAGES = {"en": EN, "zh": ZH, "ja": JA, "ko": KO, "de": DE}


def spec(texts: Texts, topics: int) -> str:
    """The spec with `topics` design decisions (the decision paragraphs cycled)."""
    decisions = "\n\n".join(
        f"### 2.{n} {texts.topic.format(n=n)}\n\n{texts.decisions[(n - 1) % len(texts.decisions)]}"
        for n in range(1, topics + 1)
    )
    bodies = [
        texts.requirements,
        decisions,
        texts.interface,
        texts.risks,
        texts.acceptance,
        "- @../guidance-specification.md#feature-decomposition\n- @../alpha/analysis-F-001-offline-sync.md",
        texts.depends,
    ]
    parts = [f"# {texts.title}\n\n**Priority**: High\n**Contributing Roles**: alpha, beta\n"]
    parts += [
        f"## {n}. {name}\n\n{body}\n"
        for n, (name, body) in enumerate(zip(texts.sections, bodies, strict=True), start=1)
    ]
    return "\n".join(parts)
