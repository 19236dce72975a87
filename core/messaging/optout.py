"""Whether an inbound reply asks us to stop messaging: STOP, UNSUBSCRIBE, إلغاء, إيقاف …

A reply is an opt-out when the whole message, once normalised, is one of the keywords — the rule carriers and
Twilio apply ("STOP", " stop! ", "Stop." all count). A keyword inside a longer sentence does not ("please don't
stop sending me offers", "stop by the Mall branch?"): reading intent into sentences would unsubscribe customers
who never asked, and a customer who writes a sentence gets a human answer from the shopper who reads it.

Normalising removes what a phone keyboard adds without the customer meaning it: case, Arabic diacritics
(tashkeel) and tatweel, alef/hamza/ya/ta-marbuta variants (إلغاء, الغاء, الغاء all read alike), Arabic-Indic
digits, punctuation, symbols and emoji, invisible characters, and runs of whitespace.

English keywords are Twilio's standard opt-out set (STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT, REVOKE,
OPTOUT) plus AWS's additions (OPT-OUT, REMOVE) and "STOP ALL". Arabic ones are the words UAE senders print in
their opt-out lines: إلغاء (cancel), إيقاف / أوقف / توقف (stop), and "إلغاء الاشتراك" (unsubscribe). UAE carriers
also run their own opt-out short code (7726, "B <sender>"), which never reaches us. Both lists can be replaced.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from core.kernel.text import search_fold

ENGLISH_OPT_OUT = (
    "stop",
    "stopall",
    "stop all",
    "unsubscribe",
    "cancel",
    "end",
    "quit",
    "revoke",
    "optout",
    "opt out",
    "remove",
)
ARABIC_OPT_OUT = (
    "إلغاء",
    "الغاء",
    "إيقاف",
    "ايقاف",
    "أوقف",
    "توقف",
    "إلغاء الاشتراك",
    "الغاء الاشتراك",
    "إيقاف الاشتراك",
    "إلغاء اشتراك",
)
ENGLISH_OPT_IN = ("start", "unstop", "subscribe")
ARABIC_OPT_IN = ("اشتراك", "إشتراك", "تفعيل")

_SPACES = re.compile(r"\s+")
# Punctuation, symbols (emoji), separators and controls/format characters become spaces; combining marks left
# after folding (an emoji's variation selector, a stray accent) are dropped.
_KEEP = {"P": " ", "S": " ", "Z": " ", "C": " ", "M": ""}


def normalise_reply(text: str) -> str:
    """The comparable form of a reply: folded as a search folds it (case, Arabic letters and diacritics,
    tatweel, digits, invisible characters), with punctuation, symbols and emoji as spaces, whitespace collapsed.
    A hyphen joins nothing ("opt-out" reads "opt out")."""
    folded = search_fold(unicodedata.normalize("NFKC", text))
    kept = "".join(_KEEP.get(unicodedata.category(c)[0], c) for c in folded)
    return _SPACES.sub(" ", kept).strip()


@dataclass(frozen=True)
class Keywords:
    """A set of whole-message keywords, compared in normalised form."""

    words: frozenset[str]

    @classmethod
    def of(cls, words: Iterable[str]) -> Keywords:
        return cls(frozenset(n for n in (normalise_reply(w) for w in words) if n))

    def match(self, text: str) -> str | None:
        """The keyword ``text`` is (normalised), or None when it is anything else."""
        normal = normalise_reply(text)
        return normal if normal in self.words else None


OPT_OUT = Keywords.of(ENGLISH_OPT_OUT + ARABIC_OPT_OUT)
OPT_IN = Keywords.of(ENGLISH_OPT_IN + ARABIC_OPT_IN)


def opt_out_keyword(text: str, keywords: Keywords = OPT_OUT) -> str | None:
    """The opt-out keyword the whole of ``text`` is, normalised; None when it is not an opt-out."""
    return keywords.match(text)


def is_opt_out(text: str, keywords: Keywords = OPT_OUT) -> bool:
    return keywords.match(text) is not None


def is_opt_in(text: str, keywords: Keywords = OPT_IN) -> bool:
    """START / UNSTOP / اشتراك: the customer asks to hear from us again on the channel they wrote on."""
    return keywords.match(text) is not None
