"""Translatable text for a layer that cannot import Qt.

core raises errors whose message is an English source string marked with ``QT_TRANSLATE_NOOP("core", ...)``
so that ``pyside6-lupdate`` extracts it into translations/*.ts under the context ``core``; the UI translates
the string at display time and fills in the named parameters.
"""

from __future__ import annotations


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # the name lupdate looks for
    """Marks ``text`` for extraction; returns it unchanged."""
    return text
