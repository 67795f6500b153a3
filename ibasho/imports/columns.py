"""The fields each kind of file can fill, and the column headings recognised for each without
help. Headings are compared after the cell clean-up of `values.text` with spaces, brackets and
case ignored, so 時間（分）, 時間(分) and 時間 (分) are one heading."""

import re
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ibasho.imports.models import Kind
from ibasho.imports.values import text


@dataclass(frozen=True)
class Target:
    key: str
    label: str | Promise
    headings: tuple[str, ...] = ()


EXTERNAL_ID = Target(
    "external_id",
    _("Row ID"),
    ("ID", "番号", "管理番号", "整理番号", "No", "No.", "記録番号", "記録ID", "家族ID", "同意ID"),
)
PERSON_ID = Target(
    "person_id", _("Person's ID"), ("利用者ID", "本人ID", "利用者番号", "本人番号", "ケース番号")
)
NAME = Target(
    "name", _("Name (family and given)"), ("氏名", "名前", "本人氏名", "利用者名", "お名前", "Name")
)
READING = Target(
    "reading",
    _("Reading of the name"),
    (
        "ふりがな",
        "フリガナ",
        "よみがな",
        "ヨミガナ",
        "読み",
        "カナ",
        "氏名カナ",
        "氏名(カナ)",
        "氏名(ふりがな)",
        "Reading",
    ),
)
BIRTH_DATE = Target("birth_date", _("Birth date"), ("生年月日", "誕生日", "Birth date"))

PEOPLE = (
    EXTERNAL_ID,
    NAME,
    Target("family_name", _("Family name"), ("姓", "氏")),
    Target("given_name", _("Given name"), ("名",)),
    READING,
    Target(
        "family_name_kana", _("Family name reading"), ("せい", "セイ", "姓カナ", "姓(ふりがな)")
    ),
    Target("given_name_kana", _("Given name reading"), ("めい", "メイ", "名カナ", "名(ふりがな)")),
    BIRTH_DATE,
    Target("birth_year", _("Birth year"), ("生まれ年", "生年", "Birth year")),
    Target("gender", _("Gender"), ("性別", "Gender")),
    Target("address", _("Address"), ("住所", "所在地", "Address")),
    Target("postcode", _("Postcode"), ("郵便番号", "〒", "Postcode")),
    Target("phone", _("Phone"), ("電話", "電話番号", "TEL", "携帯", "携帯電話", "Phone")),
    Target("email", _("E-mail"), ("メールアドレス", "メール", "E-mail", "Email")),
    Target("municipality", _("Municipality"), ("市町村", "市区町村", "自治体")),
    Target("stage", _("Stage"), ("段階", "支援段階", "ステージ", "Stage")),
    Target("stage_since", _("Stage since"), ("段階の開始日", "段階開始日")),
    Target("worker", _("Assigned worker"), ("担当者", "担当", "担当職員", "Worker")),
)
CONTACTS = (
    EXTERNAL_ID,
    PERSON_ID,
    NAME,
    READING,
    BIRTH_DATE,
    Target("date", _("Date"), ("相談日", "対応日", "日付", "実施日", "年月日", "支援日", "Date")),
    Target("time", _("Time of day"), ("時刻", "開始時刻", "Time")),
    Target(
        "channel", _("Channel"), ("対応方法", "方法", "手段", "相談方法", "支援方法", "Channel")
    ),
    Target("reached", _("Who was reached"), ("相手", "対応相手", "相談者", "対象", "Reached")),
    Target("family_member", _("Family member reached (name)"), ("家族氏名", "家族の氏名")),
    Target(
        "minutes", _("Minutes"), ("時間(分)", "所要時間", "所要時間(分)", "分", "時間", "Minutes")
    ),
    Target("note", _("Note"), ("内容", "相談内容", "記録", "メモ", "備考", "支援内容", "Note")),
    Target("staff", _("Staff member"), ("対応者", "担当者", "職員", "Staff")),
    Target("outcome", _("Outcome"), ("結果", "Outcome")),
)
FAMILY = (
    EXTERNAL_ID,
    PERSON_ID,
    Target("person_name", _("Person's name"), ("本人氏名", "利用者名")),
    Target("person_reading", _("Person's reading"), ("本人ふりがな", "本人フリガナ")),
    Target("household", _("Household name"), ("世帯名", "世帯")),
    Target("member_name", _("Family member's name"), ("家族氏名", "氏名", "名前")),
    Target(
        "member_reading", _("Family member's reading"), ("家族ふりがな", "ふりがな", "フリガナ")
    ),
    Target("relationship", _("Relationship"), ("続柄", "関係", "Relationship")),
    Target("member_birth_year", _("Birth year"), ("生まれ年", "生年", "生年月日")),
    Target("health", _("Health and care"), ("健康状態", "状態", "Health")),
    Target(
        "health_since",
        _("Health status since"),
        ("状態の日付", "状態日", "死亡日", "入所日", "Since"),
    ),
    Target("income", _("Income source"), ("収入", "収入源", "Income")),
    Target("phone", _("Phone"), ("電話", "電話番号", "TEL", "Phone")),
)
CONSENTS = (
    EXTERNAL_ID,
    PERSON_ID,
    NAME,
    READING,
    BIRTH_DATE,
    Target("purpose", _("Purpose"), ("目的", "同意の種類", "同意項目", "Purpose")),
    Target("given_by", _("Given by (本人 or a family member's name)"), ("同意者", "Given by")),
    Target("given_on", _("Given on"), ("同意日", "Given on")),
    Target("withdrawn_on", _("Withdrawn on"), ("撤回日", "Withdrawn on")),
    Target("note", _("Note"), ("備考", "メモ", "Note")),
)
TARGETS: dict[str, tuple[Target, ...]] = {
    Kind.PEOPLE: PEOPLE,
    Kind.FAMILY: FAMILY,
    Kind.CONTACTS: CONTACTS,
    Kind.CONSENTS: CONSENTS,
}
_IGNORED = re.compile(r"[\s()\[\]【】「」・:：]")


def heading_key(header: str) -> str:
    return _IGNORED.sub("", text(header)).casefold()


def recognise(
    kind: str, headers: list[str], remembered: dict[str, str] | None = None
) -> dict[str, str]:
    """Column heading → field key for the headings this organisation mapped before, then for
    those recognised by name. Each field is filled from one column at most (the first)."""
    remembered = remembered or {}
    targets = TARGETS[kind]
    known = {heading_key(h): t.key for t in targets for h in t.headings}
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for header in headers:
        if not header or header in mapping:
            continue
        key = remembered.get(header, known.get(heading_key(header), ""))
        if key and key not in taken and key in {t.key for t in targets}:
            mapping[header] = key
            taken.add(key)
    return mapping


def scorer(kind: str):  # type: ignore[no-untyped-def]
    """Counts the recognised headings in a row (to find the header row)."""
    known = {heading_key(h) for t in TARGETS[kind] for h in t.headings}

    def score(cells: list[str]) -> int:
        return sum(1 for cell in cells if cell and heading_key(cell) in known)

    return score


def label(kind: str, key: str) -> str:
    return next((str(t.label) for t in TARGETS[kind] if t.key == key), key)
