"""Opt-out keywords in English and Arabic, as a whole message after normalising.

Sources for the English set: Twilio's default opt-out keywords (twilio.com/docs/messaging/tutorials/
advanced-opt-out: STOP, UNSUBSCRIBE, END, QUIT, STOPALL, REVOKE, OPTOUT, CANCEL) and AWS End User Messaging's
required keywords (OPT-OUT, REMOVE). Braze documents the same whole-message rule: "STOP PLEASE" is not an
opt-out.
"""

from __future__ import annotations

import pytest

from core.messaging.optout import Keywords, is_opt_in, is_opt_out, normalise_reply, opt_out_keyword


@pytest.mark.parametrize(
    "reply",
    [
        "STOP",
        "stop",
        " Stop! ",
        "STOP.",
        "StopAll",
        "STOP ALL",
        "UNSUBSCRIBE",
        "cancel",
        "End",
        "QUIT",
        "revoke",
        "OPTOUT",
        "opt-out",
        "Opt out",
        "remove",
        "stop 🛑",
        "ＳＴＯＰ",  # full-width letters from some keyboards
        "إلغاء",
        "الغاء",
        "إِلْغَاء",  # with tashkeel
        "إلـــغاء",  # with tatweel
        "ألغاء",  # hamza on the wrong alef
        "إيقاف",
        "ايقاف",
        "أوقف",
        "توقف",
        "توقّف!",
        "إلغاء الاشتراك",
        "الغاء   الاشتراك.",
        "«إلغاء»",
        "\u200fإلغاء\u200f",  # right-to-left marks around it
    ],
)
def test_opt_out_keywords(reply: str) -> None:
    assert is_opt_out(reply), reply


@pytest.mark.parametrize(
    "reply",
    [
        "please stop",
        "stop please",
        "Don't stop sending me offers",
        "Can I stop by the Mall branch?",
        "STOPPED",
        "backend",
        "لا تلغي الحجز",
        "إلغاء الطلب رقم 5",
        "شكرا",
        "",
        "   ",
        "!!!",
        "start",
    ],
)
def test_a_keyword_inside_a_sentence_is_not_an_opt_out(reply: str) -> None:
    assert not is_opt_out(reply), reply


def test_the_keyword_is_reported_in_normal_form() -> None:
    assert opt_out_keyword(" إِلْغَاء الاشتراك! ") == "الغاء الاشتراك"
    assert opt_out_keyword("Opt-Out") == "opt out"
    assert opt_out_keyword("thanks") is None


def test_normalising_folds_digits_and_collapses_space() -> None:
    assert normalise_reply("  STOP\t\n٢  ") == "stop 2"


def test_opt_in_keywords() -> None:
    assert is_opt_in("START")
    assert is_opt_in("unstop")
    assert is_opt_in("اشتراك")
    assert not is_opt_in("stop")


def test_a_deployment_can_replace_the_keywords() -> None:
    custom = Keywords.of(["STOP", "بلوك"])
    assert is_opt_out("بلوك", custom)
    assert not is_opt_out("cancel", custom)
