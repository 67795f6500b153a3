import pytest

from ibasho.lib.japanese import normalise_kana, reading_sort_key, search_term, search_text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("やまだ", "ヤマダ"),
        ("ﾔﾏﾀﾞ", "ヤマダ"),
        ("ヤマダ　タロウ", "ヤマダタロウ"),
        ("山田", "山田"),
        ("", ""),
    ],
)
def test_normalise_kana(raw, expected):
    assert normalise_kana(raw) == expected


def test_sort_key_orders_by_gojuon_with_voicing_after_plain():
    names = ["ガトウ", "カトウ", "アベ", "サイトウ", "キムラ", "カド"]
    ordered = sorted(names, key=reading_sort_key)
    assert ordered == ["アベ", "カド", "カトウ", "ガトウ", "キムラ", "サイトウ"]


def test_sort_key_treats_hiragana_and_katakana_alike():
    assert reading_sort_key("たなか") == reading_sort_key("タナカ")


def test_sort_key_uses_given_name_after_family_name():
    keys = sorted(
        [("タナカ", "ハナコ"), ("タナカ", "アキラ"), ("スズキ", "ユウ")],
        key=lambda n: reading_sort_key(*n),
    )
    assert keys == [("スズキ", "ユウ"), ("タナカ", "アキラ"), ("タナカ", "ハナコ")]


def test_search_matches_any_script():
    haystack = search_text("山田", "太郎", "ヤマダ", "タロウ", "Taro")
    for query in ["やまだ", "ﾔﾏﾀﾞ", "山田", "たろう", "taro"]:
        assert search_term(query) in haystack
