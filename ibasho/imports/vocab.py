"""The words a centre's spreadsheet uses for a choice (男, 電話, 家庭訪問, 母 …), matched
together with Ibasho's own codes and labels in Japanese and English."""

from typing import Any

from django.db.models import TextChoices
from django.utils import translation
from django.utils.translation import gettext as _

from ibasho.imports.columns import heading_key
from ibasho.outreach.models import Contact, Stage
from ibasho.people.models import Consent, FamilyMember, Gender

EXTRA: dict[type[TextChoices], dict[str, str]] = {
    Gender: {
        "男": "male",
        "男性": "male",
        "m": "male",
        "女": "female",
        "女性": "female",
        "f": "female",
        "その他": "other",
        "不明": "not_stated",
        "無回答": "not_stated",
    },
    Contact.Channel: {
        "電話": "phone",
        "tel": "phone",
        "訪問": "door_visit",
        "家庭訪問": "door_visit",
        "自宅訪問": "door_visit",
        "アウトリーチ": "door_visit",
        "手紙": "letter",
        "はがき": "postcard",
        "ハガキ": "postcard",
        "葉書": "postcard",
        "メール": "email",
        "eメール": "email",
        "line": "message",
        "sns": "message",
        "メッセージ": "message",
        "来所": "centre_visit",
        "来所相談": "centre_visit",
        "面談": "centre_visit",
        "面接": "centre_visit",
        "オンライン": "video_call",
        "ビデオ通話": "video_call",
        "zoom": "video_call",
        "グループ": "group_session",
        "居場所": "group_session",
        "家族相談": "family_consultation",
        "家族面談": "family_consultation",
    },
    Contact.Reached: {
        "本人": "person",
        "家族": "family",
        "なし": "nobody",
        "不在": "nobody",
        "応答なし": "nobody",
        "無": "nobody",
        "会えず": "nobody",
    },
    FamilyMember.Relationship: {
        "母": "mother",
        "母親": "mother",
        "父": "father",
        "父親": "father",
        "兄": "sibling",
        "弟": "sibling",
        "姉": "sibling",
        "妹": "sibling",
        "兄弟": "sibling",
        "姉妹": "sibling",
        "きょうだい": "sibling",
        "配偶者": "spouse",
        "妻": "spouse",
        "夫": "spouse",
        "祖母": "grandparent",
        "祖父": "grandparent",
        "子": "child",
        "親族": "other_relative",
    },
    FamilyMember.Health: {
        "健康": "well",
        "元気": "well",
        "良好": "well",
        "病気": "ill",
        "療養中": "ill",
        "入院": "hospitalised",
        "入院中": "hospitalised",
        "要介護": "in_care",
        "介護": "in_care",
        "施設入所": "in_care",
        "入所": "in_care",
        "死亡": "died",
        "死去": "died",
        "逝去": "died",
        "転出": "moved_out",
        "別居": "moved_out",
    },
    FamilyMember.Income: {
        "年金": "pension",
        "就労": "employment",
        "給与": "employment",
        "生活保護": "public_assistance",
        "貯蓄": "savings",
        "預貯金": "savings",
        "無収入": "none",
        "不明": "unknown",
    },
    Stage: {
        "家族支援": "family_support",
        "個別支援(間接)": "individual_indirect",
        "間接支援": "individual_indirect",
        "個別支援(対面)": "individual_face_to_face",
        "対面支援": "individual_face_to_face",
        "集団": "group",
        "居場所": "group",
        "グループ": "group",
        "社会参加": "trial_participation",
        "試行的社会参加": "trial_participation",
    },
    Consent.Purpose: {
        "連絡": "contact",
        "連絡への同意": "contact",
        "情報共有": "sharing",
        "共有": "sharing",
        "他機関共有": "sharing",
        "統計": "statistics",
        "統計利用": "statistics",
    },
}
_CACHE: dict[type[TextChoices], dict[str, str]] = {}


def words(choices: type[TextChoices]) -> dict[str, str]:
    """Every accepted word (as a heading key) → the choice's code."""
    found = _CACHE.get(choices)
    if found is None:
        found = {}
        for language in ("en", "ja"):
            with translation.override(language):
                found.update({heading_key(str(label)): code for code, label in choices.choices})
        found.update({heading_key(code): code for code in choices.values})
        found.update({heading_key(w): code for w, code in EXTRA.get(choices, {}).items()})
        _CACHE[choices] = found
    return found


def choose(choices: type[TextChoices], value: Any) -> str:
    from ibasho.imports.values import text

    code = words(choices).get(heading_key(text(value)))
    if code is None:
        raise ValueError(
            _("“%(value)s” is not one of the choices here.") % {"value": text(value)[:40]}
        )
    return code
