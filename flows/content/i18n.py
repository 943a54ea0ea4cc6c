"""UI strings through gettext catalogues (compiled with babel at load) and locale formatting."""

from __future__ import annotations

import gettext
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_date, format_skeleton
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal

from flows.content.problems import ContentProblem

DOMAIN = "daks"


def N_(message: str) -> str:
    """Mark a string for extraction without translating it here."""
    return message


@dataclass
class Catalogues:
    """One gettext catalogue per language; msgids are English."""

    by_lang: dict[str, gettext.NullTranslations]

    def translator(self, lang: str) -> Translator:
        return Translator(lang, self.by_lang.get(lang) or gettext.NullTranslations())


@dataclass(frozen=True)
class Translator:
    lang: str
    catalogue: gettext.NullTranslations

    def __call__(self, message: str, **values: Any) -> str:
        text = self.catalogue.gettext(message)
        return text.format(**values) if values else text

    def plural(self, singular: str, plural: str, n: int, **values: Any) -> str:
        text = self.catalogue.ngettext(singular, plural, n)
        return text.format(n=self.number(n), **values)

    def joined(self, items: Iterable[str]) -> str:
        """Items on one line, separated as the language writes it (French: a narrow no-break space before ";")."""
        # Translators: the separator between items on one line; French puts a narrow no-break space before ";".
        return self(N_("; ")).join(items)

    def number(self, value: float) -> str:
        return format_decimal(value, locale=Locale.parse(self.lang))

    def decimal(self, value: float, digits: int = 1) -> str:
        """``value`` with exactly ``digits`` decimals as the language writes it: de "1.234,5", fr "1 234,5" (narrow
        no-break space between thousands), en "1,234.5"."""
        pattern = "#,##0." + "0" * digits if digits > 0 else "#,##0"
        return format_decimal(round(value, digits), format=pattern, locale=Locale.parse(self.lang))

    def money(self, euros: Decimal | int) -> str:
        """An amount in euros as the language writes it, cents only where there are any: de "285.500 €",
        fr "285 500 €" (narrow no-break space between thousands), en "€285,500"."""
        locale = Locale.parse(self.lang)
        whole = Decimal(euros) == Decimal(euros).to_integral_value()
        pattern = locale.currency_formats["standard"].pattern
        return format_currency(
            euros, "EUR", format=pattern.replace(".00", "") if whole else None, locale=locale, currency_digits=not whole
        )

    def day(self, value: date) -> str:
        """A day of the month without the year, as the language abbreviates it: 3. Dez., 3 déc., Dec 3."""
        return format_skeleton("MMMd", value, locale=self.lang)

    def date(self, value: date, fmt: str = "long") -> str:
        return format_date(value, format=fmt, locale=Locale.parse(self.lang))

    def answer_date(self, value: str) -> str:
        """A date answer as stored (``2027-03-15``, ``2027-03`` or ``2027``) in words: 15. März 2027, März 2027."""
        parts = [int(p) for p in value.split("-")]
        if len(parts) == 3:
            return self.date(date(*parts), "long")
        if len(parts) == 2:
            return format_skeleton("yMMMM", date(parts[0], parts[1], 1), locale=self.lang)
        return str(parts[0])

    def short_date(self, value: str) -> str:
        """A date answer as stored, short: 31.12.2023 (fr 31 déc. 2023, en Dec 31, 2023), 03/2028, 2028; anything
        else as it is."""
        try:
            parts = [int(p) for p in value.split("-")]
            if len(parts) == 3:
                return self.date(date(*parts), "medium")
        except ValueError:
            return value
        if len(parts) == 2 and 1 <= parts[1] <= 12:
            return f"{parts[1]:02d}/{parts[0]}"
        return str(parts[0]) if len(parts) == 1 else value


def load_catalogues(locale_dir: Path, languages: list[str], problems: list[ContentProblem]) -> Catalogues:
    """Read ``<lang>/LC_MESSAGES/daks.po`` for each language and compile it in memory."""
    by_lang: dict[str, gettext.NullTranslations] = {}
    for lang in languages:
        po = locale_dir / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
        if not po.exists():
            if lang != "en":
                problems.append(
                    ContentProblem(str(po.relative_to(locale_dir.parent)), "", None, "gettext catalogue is missing")
                )
            continue
        try:
            with po.open("rb") as fh:
                catalog = read_po(fh, locale=lang)
            buf = BytesIO()
            write_mo(buf, catalog)
            buf.seek(0)
            by_lang[lang] = gettext.GNUTranslations(buf)
        except Exception as exc:  # babel raises several kinds of parse errors
            problems.append(
                ContentProblem(str(po.relative_to(locale_dir.parent)), "", None, f"catalogue does not compile: {exc}")
            )
    return Catalogues(by_lang)
