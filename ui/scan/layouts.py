"""What a keyboard-wedge scanner meant to type, whatever keyboard layout the till has.

A scanner presents itself as a US keyboard and sends the physical keys of its text; the operating system turns
them into characters with the till's layout. With the Arabic layout active, "PO-7KQ2" arrives as "ح×-7نَ2"
and no code is found. Two ways back, in order:

1. The physical key. Qt reports the key's native scan code; on X11/Wayland it is the XKB keycode (evdev + 8)
   and on Windows the set-1 scan code. Read with the Shift state, it gives the US character exactly, for any
   layout (Arabic, French AZERTY, German QWERTZ…).
2. Where no scan code is known (other platforms, synthetic events), the Arabic (101) layout is mapped back
   from the characters, shifted keys and Arabic-Indic digits included. A burst is mapped only when it holds a
   character only the Arabic layout types, since the layout also types some ASCII characters on other keys
   (Shift+D types "]").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

_US_SHIFT = dict(zip("`1234567890-=[]\\;',./", '~!@#$%^&*()_+{}|:"<>?', strict=True))


def us_shifted(char: str) -> str:
    return char.upper() if char.isalpha() else _US_SHIFT.get(char, char)


def _rows(codes: Iterable[int], keys: str) -> dict[int, str]:
    return dict(zip(codes, keys, strict=True))


# The US character of each physical key, by the platform's code for the key.
XKB_KEYCODES: dict[int, str] = {
    **_rows(range(10, 22), "1234567890-="),
    **_rows(range(24, 36), "qwertyuiop[]"),
    **_rows(range(38, 50), "asdfghjkl;'`"),
    51: "\\",
    **_rows(range(52, 62), "zxcvbnm,./"),
    65: " ",
}
WINDOWS_SCAN_CODES: dict[int, str] = {
    **_rows(range(0x02, 0x0E), "1234567890-="),
    **_rows(range(0x10, 0x1C), "qwertyuiop[]"),
    **_rows(range(0x1E, 0x2A), "asdfghjkl;'`"),
    0x2B: "\\",
    **_rows(range(0x2C, 0x36), "zxcvbnm,./"),
    0x39: " ",
}
SCAN_CODE_TABLES: dict[str, dict[int, str]] = {
    "xcb": XKB_KEYCODES,
    "wayland": XKB_KEYCODES,
    "windows": WINDOWS_SCAN_CODES,
}


def physical_char(table: dict[int, str] | None, scan_code: int, shifted: bool) -> str | None:
    """The US character of a physical key, or None when the key (or the platform's codes) is not known."""
    if not table or not scan_code or scan_code not in table:
        return None
    char = table[scan_code]
    return us_shifted(char) if shifted else char


# The Arabic (101) layout, as Windows and XKB's "ara" define it: the character each US key types.
_ARABIC_PLAIN = {
    "q": "ض", "w": "ص", "e": "ث", "r": "ق", "t": "ف", "y": "غ", "u": "ع", "i": "ه", "o": "خ", "p": "ح",
    "[": "ج", "]": "د", "a": "ش", "s": "س", "d": "ي", "f": "ب", "g": "ل", "h": "ا", "j": "ت", "k": "ن",
    "l": "م", ";": "ك", "'": "ط", "z": "ئ", "x": "ء", "c": "ؤ", "v": "ر", "b": "لا", "n": "ى", "m": "ة",
    ",": "و", ".": "ز", "/": "ظ", "`": "ذ",
}  # fmt: skip
_ARABIC_SHIFTED = {
    "Q": "\u064e", "W": "\u064b", "E": "\u064f", "R": "\u064c", "T": "لإ", "Y": "إ", "U": "\u2018", "I": "÷",
    "O": "×", "P": "؛", "{": "<", "}": ">", "A": "\u0650", "S": "\u064d", "D": "]", "F": "[", "G": "لأ",
    "H": "أ", "J": "\u0640", "K": "،", "L": "/", "Z": "~", "X": "\u0652", "C": "}", "V": "{", "B": "لآ",
    "N": "آ", "M": "\u2019", "<": ",", ">": ".", "?": "؟", "~": "\u0651",
}  # fmt: skip
ARABIC_101: dict[str, str] = {**_ARABIC_PLAIN, **_ARABIC_SHIFTED}  # US character -> what the layout types
_DIGITS = {**{chr(0x660 + d): str(d) for d in range(10)}, **{chr(0x6F0 + d): str(d) for d in range(10)}}
_LIGATURES = {"\ufefb": "لا", "\ufef9": "لإ", "\ufef7": "لأ", "\ufef5": "لآ"}
_FROM_ARABIC = {typed: us for us, typed in ARABIC_101.items()} | _DIGITS
# Characters only the Arabic layout types: their presence says the whole burst went through it.
_ONLY_ARABIC = frozenset(c for typed in _FROM_ARABIC if not typed.isascii() for c in typed)


def key_text(text: str) -> str:
    """One key's text with the lam-alef presentation forms spelt as the two letters the layout table uses."""
    return _LIGATURES.get(text, text)


def typed_through_arabic(keys: Sequence[str]) -> bool:
    return any(c in _ONLY_ARABIC for key in keys for c in key_text(key))


def from_arabic(keys: Sequence[str]) -> str:
    """The US text behind the keys' texts typed through the Arabic (101) layout; unknown keys are kept."""
    return "".join(_FROM_ARABIC.get(key_text(key), key) for key in keys)


def is_key_text(text: str) -> bool:
    """One key's printable text: a character, or one of the Arabic layout's lam-alef keys (two letters)."""
    return (len(text) == 1 and text.isprintable()) or key_text(text) in _FROM_ARABIC


def arabic_readings(text: str, limit: int = 32) -> list[str]:
    """Every US text the Arabic (101) layout could have typed as ``text``, the one-key readings first.

    A field's text loses the keys: lam-alef is the B key's text and also the G key's then the H key's, and
    Shift+T, Shift+G and Shift+B type the other lam-alefs the same way. A text with k of them has up to 2^k
    readings; at most ``limit`` are returned."""
    spelt = "".join(key_text(c) for c in text)
    readings: dict[int, list[str]] = {len(spelt): [""]}
    for start in range(len(spelt) - 1, -1, -1):
        found: list[str] = []
        pair = spelt[start : start + 2]
        if len(pair) == 2 and pair in _FROM_ARABIC:
            found += [_FROM_ARABIC[pair] + rest for rest in readings[start + 2]]
        one = spelt[start]
        found += [_FROM_ARABIC.get(one, one) + rest for rest in readings[start + 1]]
        readings[start] = found[:limit]
    return readings[0]
