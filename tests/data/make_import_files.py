"""Writes the spreadsheets the import tests read, shaped as a Japanese support centre's Excel
produces them: a title row and group headings in merged cells, a heading merged down two rows,
和暦 dates, full-width digits, half-width kana, CP932 characters (髙, 﨑, Ⅲ), thousands of
formatted empty rows, a totals row. Each file has a broken twin with two errors.

    python tests/data/make_import_files.py   # rewrites the files beside this script
"""

import csv
import io
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Border, Font, PatternFill, Side

HERE = Path(__file__).parent

PEOPLE_HEADER = [
    "管理番号",
    "氏名",
    "ふりがな",
    "生年月日",
    "性別",
    "住所",
    "段階",
    "担当者",
    "備考欄",
]
PEOPLE = [
    [
        "P001",
        "髙橋 健太",
        "たかはし けんた",
        "昭和63年4月1日",
        "男",
        "東京都八王子市元本郷町1-1",
        "家族支援",
        "sato",
        "",
    ],
    [
        "P002",
        "山﨑 美咲",
        "やまさき みさき",
        "H2.5.3",
        "女",
        "東京都町田市森野2-2",
        "個別支援(間接)",
        "sato",
        "",
    ],
    [
        "P003",
        "佐々木 翔",
        "ｻｻｷ ｼｮｳ",
        "１９９２／０７／１５",
        "男",
        "神奈川県相模原市中央区3",
        "",
        "",
        "",
    ],
    [
        "P004",
        "田中 花子",
        "たなか はなこ",
        33000,
        "女",
        "東京都八王子市4",
        "",
        "sato",
        "ハイツⅢ 201",
    ],
    ["P005", "鈴木 一郎", "すずき いちろう", "S55/1/20", "男", "東京都日野市5", "家族支援", "", ""],
    ["P006", "伊藤 大輝", "いとう だいき", "平成元年12月1日", "男", "東京都立川市6", "", "", ""],
]
# The broken twin: a missing reading (row 5, column C) and a day that does not exist (row 7,
# column D).
PEOPLE_BROKEN = [row[:] for row in PEOPLE]
PEOPLE_BROKEN[1][2] = ""
PEOPLE_BROKEN[3][3] = "令和6年13月1日"

CONTACTS_HEADER = ["利用者ID", "氏名", "相談日", "対応方法", "相手", "時間(分)", "内容", "対応者"]
CONTACTS = [
    [
        "P001",
        "髙橋 健太",
        "令和6年4月1日",
        "手紙",
        "なし",
        "１５",
        "手紙を投函。髙橋さん宅",
        "sato",
    ],
    ["P001", "髙橋 健太", "R6.4.8", "訪問", "母", "30分", "母と玄関で話す", "sato"],
    ["P001", "髙橋 健太", "R6.5.1", "電話", "本人", "２０", "本人が電話に出た", "sato"],
    ["P002", "山﨑 美咲", "H31/4/1", "来所", "家族", "60", "家族相談（山﨑さん）", "sato"],
    ["P002", "山﨑 美咲", "２０２４/５/１", "メール", "本人", "10", "返信あり。ハイツⅢ", "sato"],
    ["P004", "田中 花子", "45383", "電話", "なし", "5", "", "sato"],
]
CONTACTS_BROKEN = [row[:] for row in CONTACTS]
CONTACTS_BROKEN[2][3] = "伝書鳩"  # row 5, column D: not a channel
CONTACTS_BROKEN[4][2] = ""  # row 7, column C: the date is missing

FAMILY_HEADER = [
    "利用者ID",
    "家族氏名",
    "家族ふりがな",
    "続柄",
    "生まれ年",
    "健康状態",
    "状態の日付",
    "電話",
]
FAMILY = [
    ["P001", "髙橋 和子", "たかはし かずこ", "母", "昭和30年", "健康", "", "090-0000-0001"],
    ["P001", "髙橋 正", "たかはし ただし", "父", "S28", "死亡", "H30.6.1", ""],
    ["P002", "山﨑 節子", "やまさき せつこ", "母", "1950", "要介護", "令和2年1月10日", ""],
]

# The browser test's file: two headings the wizard does not know, and two row errors.
WIZARD_HEADER = ["利用者コード", "氏名", "ふりがな", "生まれた日", "住所"]
WIZARD = [
    ["W001", "森 陽太", "もり ようた", "平成8年3月3日", "東京都八王子市1"],
    ["W002", "林 美月", "", "平成9年9月9日", "東京都町田市2"],
    ["W003", "池田 蓮", "いけだ れん", "令和99年1月1日", "東京都日野市3"],
]
WIZARD_FIXED = [row[:] for row in WIZARD]
WIZARD_FIXED[1][2] = "はやし みづき"
WIZARD_FIXED[2][3] = "平成10年1月1日"

WIZARD_CONTACTS_HEADER = ["利用者ID", "相談日", "対応方法", "相手", "時間(分)", "内容"]
WIZARD_CONTACTS = [
    ["W001", "R5.4.3", "手紙", "なし", "15", "手紙"],
    ["W001", "R5.4.20", "訪問", "本人", "45", "玄関先で話せた"],
    ["W001", "R5.5.2", "電話", "本人", "30", "電話で近況"],
]


def _xlsx(path: Path, title: str, groups: list[tuple[str, int, int]], header: list[str],
          rows: list[list[object]], *, merged_down: int | None = None, blank_rows: int = 3000,
          total: str | None = None) -> None:  # fmt: skip
    book = Workbook()
    sheet = book.active
    sheet.title = "名簿"
    width = len(header)
    sheet.cell(1, 1, title).font = Font(bold=True, size=14)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    for name, first, last in groups:  # group headings over the columns, merged
        sheet.cell(2, first, name)
        sheet.merge_cells(start_row=2, start_column=first, end_row=2, end_column=last)
    fill = PatternFill("solid", fgColor="DDEBF7")
    thin = Side(style="thin")
    for column, heading in enumerate(header, start=1):
        if column == merged_down:
            # This heading stands in the group row, merged down over the header row.
            sheet.cell(2, column, heading)
            sheet.merge_cells(start_row=2, start_column=column, end_row=3, end_column=column)
            continue
        cell = sheet.cell(3, column, heading)
        cell.fill = fill
        cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
    for index, row in enumerate(rows, start=4):
        for column, value in enumerate(row, start=1):
            if value not in ("", None):
                sheet.cell(index, column, value)
    last = 3 + len(rows)
    if total is not None:
        last += 1
        sheet.cell(last, 1, "合計")
        sheet.cell(last, 2, total)
    for index in range(last + 1, last + 1 + blank_rows):  # formatted, empty
        for column in range(1, width + 1):
            sheet.cell(index, column).border = Border(bottom=thin)
    book.save(path)


def _csv(path: Path, header: list[str], rows: list[list[object]], *, encoding: str,
         total_column: int | None = None) -> None:  # fmt: skip
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["相談記録（令和6年度）"] + [""] * (len(header) - 1))
    writer.writerow(header)
    writer.writerows(rows)
    if total_column is not None:
        totals = [""] * len(header)
        totals[0] = "合計"
        totals[total_column] = "140"
        writer.writerow(totals)
    for _ in range(40):
        writer.writerow([""] * len(header))
    path.write_bytes(out.getvalue().encode(encoding))


def main() -> None:
    groups = [("基本情報", 2, 6), ("支援", 7, 9)]
    for name, rows in (("people", PEOPLE), ("people-broken", PEOPLE_BROKEN)):
        _xlsx(HERE / f"{name}.xlsx", "令和6年度 相談者名簿", groups, PEOPLE_HEADER, rows,
              merged_down=1, total=f"{len(rows)}名")  # fmt: skip
    for name, rows in (("contacts", CONTACTS), ("contacts-broken", CONTACTS_BROKEN)):
        _csv(HERE / f"{name}-sjis.csv", CONTACTS_HEADER, rows, encoding="cp932", total_column=5)
    _csv(HERE / "family.csv", FAMILY_HEADER, FAMILY, encoding="utf-8-sig")
    for name, rows in (("wizard", WIZARD), ("wizard-fixed", WIZARD_FIXED)):
        _xlsx(HERE / f"{name}.xlsx", "名簿", [], WIZARD_HEADER, rows, blank_rows=200)
    _csv(HERE / "wizard-contacts.csv", WIZARD_CONTACTS_HEADER, WIZARD_CONTACTS,
         encoding="utf-8-sig")  # fmt: skip


if __name__ == "__main__":
    main()
