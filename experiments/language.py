"""Languages: translated messages and numbers, money and percentages in the reader's format.

Dutch is the default (the users are Dutch municipalities), English on request. The
messages come from the gettext catalogues in ``translations/`` (Babel); numbers go through
Babel's locale data, so Dutch reads EUR 1.234.567 and 12,5%.
"""

from __future__ import annotations

import math
from functools import cache

from babel.numbers import format_decimal, format_percent
from babel.support import NullTranslations, Translations

import translations

LANGUAGES = {"nl": "Nederlands", "en": "English"}
DEFAULT = "nl"
LOCALES = {"nl": "nl_NL", "en": "en_GB"}


class LanguageError(ValueError):
    """An unknown language code; the message is one line."""


def check(code: str) -> str:
    """``code`` if it is a language we have, else a one-line error naming the choices."""
    if code not in LANGUAGES:
        raise LanguageError(f"unknown language '{code}': choose one of {', '.join(LANGUAGES)}")
    return code


@cache
def catalogue(code: str) -> NullTranslations:
    """Every domain's messages in one language (English needs none: the messages are English)."""
    check(code)
    if code == "en":
        return NullTranslations()
    found = Translations.load(str(translations.directory()), [code], translations.DOMAINS[0])
    for domain in translations.DOMAINS[1:]:
        found.merge(Translations.load(str(translations.directory()), [code], domain))
    return found


class Language:
    """One language: ``gettext`` for messages, and numbers in its format."""

    def __init__(self, code: str = DEFAULT):
        self.code = check(code)
        self.locale = LOCALES[code]
        self._messages = catalogue(code)

    def gettext(self, message: str) -> str:
        return self._messages.gettext(message)

    __call__ = gettext

    def number(self, value: float, digits: int = 0) -> str:
        """A number with thousands separators and ``digits`` decimals; NaN as a dash."""
        if value is None or not math.isfinite(value):
            return "–"
        pattern = "#,##0" + ("." + "0" * digits if digits else "")
        return format_decimal(value, format=pattern, locale=self.locale)

    def tick(self, value: float) -> str:
        """An axis tick in the reader's format (0,5 in Dutch), with as few decimals as it needs."""
        digits = next((d for d in (0, 1, 2) if abs(value * 10**d - round(value * 10**d)) < 1e-6), 3)
        return self.number(value, digits)

    def percent(self, share: float, digits: int = 0) -> str:
        """A share (0.125) as a percentage (12,5% in Dutch)."""
        if share is None or not math.isfinite(share):
            return "–"
        pattern = "0" + ("." + "0" * digits if digits else "") + "%"
        return format_percent(share, format=pattern, locale=self.locale)

    def money(self, euros: float, signed: bool = False, short: bool = False) -> str:
        """Euros, whole, with the reader's separators: EUR 1.234.567 in Dutch; with ``short``,
        millions as EUR 1,2 mln."""
        if euros is None or not math.isfinite(euros):
            return "–"
        sign = ("+" if euros > 0 else "-" if euros < 0 else "") if signed else ("-" if euros < 0 else "")
        size = abs(euros)
        if short and size >= 1e6:
            return f"{sign}EUR {self.number(size / 1e6, 1)} {self.gettext('million')}"
        return f"{sign}EUR {self.number(size)}"


_chosen = {"code": DEFAULT}


def choose(code: str) -> None:
    """Set the language of this process's reports (the command line's ``--lang``)."""
    _chosen["code"] = check(code)


def chosen(lang: Language | None = None) -> Language:
    """``lang``, or the language chosen for this process (Dutch unless ``choose`` said otherwise)."""
    return lang if lang is not None else Language(_chosen["code"])


def N_(message: str) -> str:
    """Marks a message for translation where it is defined; it is translated where it is shown."""
    return message
