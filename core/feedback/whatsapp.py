"""A survey's question as a WhatsApp list or reply buttons, and the ids its answer comes back with.

WhatsApp's interactive messages go only inside the customer's 24 h window; outside it the survey is the approved
template (core.messaging.templates), answered by a typed number. Meta's limits (providers.md §1) shape them:

- A list has **at most 10 rows in all**, however many sections: the 11 answers of the 0–10 question cannot all
  be rows of one list. The list offers 10 down to 1, and its text asks for a typed 0 — the inbound handling
  reads a typed number (Western or Arabic-Indic digits) as the answer, so every score stays possible and the
  commonest answers are one tap away.
- Reply buttons are **at most 3**: a 1–5 rating does not fit either. Buttons carry a three-point rating
  (1 poor, 3 fine, 5 very good); a 1–5 rating goes as a list of 5 rows.

Each row or button id names the invitation by its code and the score: ``nps:<code>:<score>`` or
``rating:<code>:<score>``, so the reply says which survey it answers (another customer's, an expired one, one
already answered are refused by what the id names, not by a guess) and needs no state of ours.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.messaging.outbound import ListRow, ListSection, ReplyButton, WhatsAppButtons, WhatsAppList

NPS = "nps"
RATING = "rating"
_REPLY_ID = re.compile(r"^(nps|rating):([A-Za-z0-9]{4,16}):(\d{1,2})$")

NPS_QUESTION = {
    "en": "How likely are you to recommend Perfume & Oud to a friend? Choose 10 (very likely) to 1, "
    "or reply 0 (not at all).",
    "ar": "ما مدى احتمال أن توصي بالعطور والعود لصديق؟ اختر من 10 (محتمل جداً) إلى 1، أو أرسل 0 (غير محتمل إطلاقاً).",
}
NPS_BUTTON = {"en": "Choose a score", "ar": "اختر التقييم"}
NPS_ENDS = {
    "en": {10: "Very likely", 1: "Not likely"},
    "ar": {10: "محتمل جداً", 1: "غير محتمل"},
}
RATING_QUESTION = {
    "en": "How was your visit to Perfume & Oud?",
    "ar": "كيف كانت زيارتك للعطور والعود؟",
}
RATING_BUTTONS = {
    "en": ((5, "Very good"), (3, "Fine"), (1, "Poor")),
    "ar": ((5, "جيدة جداً"), (3, "مقبولة"), (1, "سيئة")),
}
RATING_ROWS = {
    "en": {5: "Excellent", 4: "Good", 3: "Fine", 2: "Poor", 1: "Very poor"},
    "ar": {5: "ممتازة", 4: "جيدة", 3: "مقبولة", 2: "سيئة", 1: "سيئة جداً"},
}
RATING_BUTTON = {"en": "Rate your visit", "ar": "قيّم زيارتك"}


@dataclass(frozen=True)
class SurveyReply:
    scale: str  # nps | rating
    code: str  # the invitation's code
    score: int


def reply_id(scale: str, code: str, score: int) -> str:
    return f"{scale}:{code}:{score}"


def parse_reply_id(value: str | None) -> SurveyReply | None:
    """The survey answer a list row or button id carries; None for any other id (a shopper's own buttons)."""
    found = _REPLY_ID.match(value or "")
    if found is None:
        return None
    return SurveyReply(found.group(1), found.group(2).upper(), int(found.group(3)))


def _words(table: dict[str, str], language: str) -> str:
    return table.get(language, table["en"])


def nps_list(message_id: str, to: str, language: str, code: str) -> WhatsAppList:
    """The 0–10 question as a list: rows 10 down to 1, 0 by reply (10 rows is WhatsApp's most)."""
    ends = NPS_ENDS.get(language, NPS_ENDS["en"])
    rows = tuple(ListRow(reply_id(NPS, code, score), str(score), ends.get(score)) for score in range(10, 0, -1))
    return WhatsAppList(
        message_id, to, _words(NPS_QUESTION, language), _words(NPS_BUTTON, language), (ListSection(None, rows),)
    )


def rating_buttons(message_id: str, to: str, language: str, code: str) -> WhatsAppButtons:
    """A three-point rating (5, 3, 1) as reply buttons: three is WhatsApp's most."""
    choices = RATING_BUTTONS.get(language, RATING_BUTTONS["en"])
    buttons = tuple(ReplyButton(reply_id(RATING, code, score), title) for score, title in choices)
    return WhatsAppButtons(message_id, to, _words(RATING_QUESTION, language), buttons)


def rating_list(message_id: str, to: str, language: str, code: str) -> WhatsAppList:
    """The 1–5 rating as a list of 5 rows, for when three buttons are too few."""
    words = RATING_ROWS.get(language, RATING_ROWS["en"])
    rows = tuple(ListRow(reply_id(RATING, code, score), f"{score} · {words[score]}") for score in range(5, 0, -1))
    return WhatsAppList(
        message_id, to, _words(RATING_QUESTION, language), _words(RATING_BUTTON, language), (ListSection(None, rows),)
    )
