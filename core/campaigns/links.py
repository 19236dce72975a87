"""A campaign's link and each recipient's short link to it.

A campaign may carry a link (``CampaignDefinition.link``): the page it promotes, say a new collection. It must
be an ``https://`` address with a host and nothing that could disguise where it leads (no user name or password
before the host, no spaces or control characters). In a chain each recipient's message carries a short link
of their own instead, ``<HEADOFFICE_PUBLIC_URL>/l/<token>``: head office answers it with a redirect to the
campaign's stored link and records the click (sync.headoffice.links), so a click is counted per message. The
token is drawn from a CSPRNG, ``TOKEN_LENGTH`` base-62 characters (about 95 bits): nobody finds another
recipient's link by trying, and head office refuses anything not of that form before it looks anything up.
"""

from __future__ import annotations

import re
import secrets
import string
import urllib.parse

from core.kernel.errors import ValidationError
from core.kernel.i18n import QT_TRANSLATE_NOOP

TOKEN_ALPHABET = string.digits + string.ascii_letters
TOKEN_LENGTH = 16
TOKEN = re.compile(f"[0-9A-Za-z]{{{TOKEN_LENGTH}}}")
LINK_MAX = 500
BAD_LINK = QT_TRANSLATE_NOOP("core", "The campaign's link is a web address that starts with https://.")
LINK_TOO_LONG = QT_TRANSLATE_NOOP("core", "The campaign's link is at most {limit} characters long.")
_UNSAFE = re.compile(r"[\s\x00-\x1f\x7f\\]")


def new_token() -> str:
    return "".join(secrets.choice(TOKEN_ALPHABET) for _ in range(TOKEN_LENGTH))


def checked_link(value: object) -> str:
    """``value`` as a campaign's link; ValidationError (field "link") when it is not a safe https address."""
    if not isinstance(value, str):
        raise ValidationError(BAD_LINK, "link")
    text = value.strip()
    if len(text) > LINK_MAX:
        raise ValidationError(LINK_TOO_LONG, "link", limit=LINK_MAX)
    if _UNSAFE.search(text):
        raise ValidationError(BAD_LINK, "link")
    try:
        parts = urllib.parse.urlsplit(text)
        port = parts.port
    except ValueError:
        raise ValidationError(BAD_LINK, "link") from None
    del port
    if parts.scheme != "https" or not parts.hostname or parts.username is not None or parts.password is not None:
        raise ValidationError(BAD_LINK, "link")
    return text


def short_link(base: str, token: str) -> str:
    return f"{base.rstrip('/')}/l/{token}"


__all__ = ["TOKEN", "TOKEN_LENGTH", "checked_link", "new_token", "short_link"]
