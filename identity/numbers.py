"""Vietnamese identity numbers: the personal identification number on the CCCD card, the tax code (MST),
their masking, and a wrapper that keeps a whole number out of logs.

CCCD (Decree 137/2015/NĐ-CP Art. 13; Circular 07/2016/TT-BCA Art. 7 and Appendix 1): 12 digits =
3 digits of the province where the birth was registered (see birth_provinces.py), 1 digit of century
and sex (0/1: 1900s male/female, 2/3: 2000s, 4/5: 2100s, 6/7: 2200s, 8/9: 2300s), the last 2 digits of
the birth year, then 6 random digits.

MST (tax code): 10 digits, or 13 = the 10 of the head office + a 3-digit branch suffix, written with or
without a dash. Digits 1-2 are a province code, 3-9 a sequence, 10 the check digit: weights 31, 29, 23,
19, 17, 13, 7, 5, 3 on digits 1-9 and check = 10 - (sum mod 11), a remainder of 0 being never issued.
We rely on `stdnum.vn.mst` (python-stdnum, which cites vi.wikipedia "Thuế Việt Nam", easyinvoice.vn
and ub.com.vn) rather than our own copy; it also refuses a zero sequence and a `000` branch.
Households and individuals may give their personal identification number instead of a tax code
(Decree 117/2025/NĐ-CP, see ../shared/reference/law.md): `parse_tax_identifier` takes either."""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from stdnum import exceptions as stdnum_errors
from stdnum.vn import mst

from identity.birth_provinces import BIRTH_PROVINCES


class NumberError(StrEnum):
    CCCD_FORMAT = "CCCD_FORMAT"  # not 12 digits
    CCCD_UNKNOWN_PROVINCE = "CCCD_UNKNOWN_PROVINCE"  # first 3 digits are no province-of-birth code
    CCCD_CENTURY_MISMATCH = "CCCD_CENTURY_MISMATCH"  # 4th digit disagrees with the birth date's century
    CCCD_SEX_MISMATCH = "CCCD_SEX_MISMATCH"  # 4th digit disagrees with the sex given
    CCCD_BIRTH_YEAR_MISMATCH = "CCCD_BIRTH_YEAR_MISMATCH"  # 5th-6th digits disagree with the birth year
    CCCD_BIRTH_IN_FUTURE = "CCCD_BIRTH_IN_FUTURE"  # the birth year it encodes has not come yet
    TAX_CODE_LENGTH = "TAX_CODE_LENGTH"  # neither 10 nor 13 digits
    TAX_CODE_FORMAT = "TAX_CODE_FORMAT"  # not digits (once spaces, dots and the dash are removed)
    TAX_CODE_COMPONENT = "TAX_CODE_COMPONENT"  # zero sequence, or branch 000
    TAX_CODE_CHECKSUM = "TAX_CODE_CHECKSUM"  # the 10th digit is not the check digit


class InvalidNumber(ValueError):
    """A malformed number, with a code the backend turns into a translated field error."""

    def __init__(self, code: NumberError) -> None:
        super().__init__(code.value)
        self.code = code


class Sex(StrEnum):
    MALE = "MALE"
    FEMALE = "FEMALE"


_SEPARATORS = re.compile(r"[\s.\-]")


def mask(value: str, *, keep_start: int = 1, keep_end: int = 1) -> str:
    """Digits hidden but the first and last ones, separators kept: `012345678905` -> `0**********5`."""
    total = sum(ch.isdigit() for ch in value)
    seen, out = 0, []
    for ch in value:
        if ch.isdigit():
            out.append(ch if seen < keep_start or seen >= total - keep_end else "*")
            seen += 1
        else:
            out.append(ch)
    return "".join(out)


class SensitiveNumber:
    """An ID number that shows itself masked everywhere (repr, str, f-strings, logs); `reveal()` for the one
    place that needs it (encryption at rest, the tax exports)."""

    __slots__ = ("_digits",)

    def __init__(self, digits: str) -> None:
        self._digits = digits

    def reveal(self) -> str:
        return self._digits

    @property
    def masked(self) -> str:
        return mask(self._digits)

    def last_digits(self, count: int = 4) -> str:
        return self._digits[-count:]

    def fingerprint(self, key: str | bytes, *, purpose: str = "id-number") -> str:
        """A keyed hash (HMAC-SHA256) for finding duplicates without decrypting; never the number itself."""
        secret = key.encode("utf-8") if isinstance(key, str) else key
        return hmac.new(secret, f"{purpose}:{self._digits}".encode(), hashlib.sha256).hexdigest()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SensitiveNumber) and hmac.compare_digest(self._digits, other._digits)

    def __hash__(self) -> int:
        return hash(("SensitiveNumber", self._digits))

    def __repr__(self) -> str:
        return f"SensitiveNumber({self.masked!r})"

    def __str__(self) -> str:
        return self.masked


@dataclass(frozen=True)
class Cccd:
    number: SensitiveNumber
    province_code: str
    province_name: str
    sex: Sex
    birth_year: int


def _digits(value: str) -> str:
    return _SEPARATORS.sub("", value or "")


def parse_cccd(
    value: str, *, birth_date: date | None = None, sex: Sex | None = None, today: date | None = None
) -> Cccd:
    """Check a personal identification number's structure (and, when given, its agreement with the birth
    date and sex). Raises InvalidNumber with the first problem found."""
    digits = _digits(value)
    if len(digits) != 12 or not digits.isascii() or not digits.isdigit():
        raise InvalidNumber(NumberError.CCCD_FORMAT)
    province = digits[:3]
    if province not in BIRTH_PROVINCES:
        raise InvalidNumber(NumberError.CCCD_UNKNOWN_PROVINCE)
    marker = int(digits[3])
    century_start = 1900 + 100 * (marker // 2)
    encoded_sex = Sex.MALE if marker % 2 == 0 else Sex.FEMALE
    birth_year = century_start + int(digits[4:6])
    if birth_date is not None:
        if not century_start <= birth_date.year < century_start + 100:
            raise InvalidNumber(NumberError.CCCD_CENTURY_MISMATCH)
        if birth_date.year != birth_year:
            raise InvalidNumber(NumberError.CCCD_BIRTH_YEAR_MISMATCH)
    if sex is not None and sex is not encoded_sex:
        raise InvalidNumber(NumberError.CCCD_SEX_MISMATCH)
    if birth_year > (today or date.today()).year:
        raise InvalidNumber(NumberError.CCCD_BIRTH_IN_FUTURE)
    return Cccd(
        number=SensitiveNumber(digits),
        province_code=province,
        province_name=BIRTH_PROVINCES[province],
        sex=encoded_sex,
        birth_year=birth_year,
    )


def validate_cccd(value: str, *, birth_date: date | None = None, sex: Sex | None = None) -> str:
    """The 12 digits, or InvalidNumber."""
    return parse_cccd(value, birth_date=birth_date, sex=sex).number.reveal()


@dataclass(frozen=True)
class TaxCode:
    base: str  # the 10 digits of the head office
    branch: str | None = None  # 3 digits for a branch

    @property
    def digits(self) -> str:
        return self.base + (self.branch or "")

    @property
    def formatted(self) -> str:
        return f"{self.base}-{self.branch}" if self.branch else self.base


_TAX_ERRORS: tuple[tuple[type[stdnum_errors.ValidationError], NumberError], ...] = (
    (stdnum_errors.InvalidLength, NumberError.TAX_CODE_LENGTH),
    (stdnum_errors.InvalidFormat, NumberError.TAX_CODE_FORMAT),
    (stdnum_errors.InvalidComponent, NumberError.TAX_CODE_COMPONENT),
    (stdnum_errors.InvalidChecksum, NumberError.TAX_CODE_CHECKSUM),
)


def parse_tax_code(value: str) -> TaxCode:
    """`0312687878-001`, `0312687878001` or `0100233488`; raises InvalidNumber."""
    if not value or not _digits(value).isascii():
        raise InvalidNumber(NumberError.TAX_CODE_FORMAT if value else NumberError.TAX_CODE_LENGTH)
    try:
        digits = mst.validate(value)
    except stdnum_errors.ValidationError as exc:
        code = next((ours for theirs, ours in _TAX_ERRORS if isinstance(exc, theirs)), NumberError.TAX_CODE_FORMAT)
        raise InvalidNumber(code) from exc
    return TaxCode(base=digits[:10], branch=digits[10:] or None)


class TaxIdKind(StrEnum):
    TAX_CODE = "TAX_CODE"
    PERSONAL_ID = "PERSONAL_ID"


@dataclass(frozen=True)
class TaxIdentifier:
    kind: TaxIdKind
    number: SensitiveNumber


def parse_tax_identifier(value: str, *, birth_date: date | None = None) -> TaxIdentifier:
    """What a household or individual seller declares for tax: a 12-digit personal identification number or a
    10/13-digit tax code. Raises InvalidNumber (CCCD codes for 12 digits, tax code codes otherwise)."""
    digits = _digits(value)
    if len(digits) == 12:
        return TaxIdentifier(TaxIdKind.PERSONAL_ID, parse_cccd(digits, birth_date=birth_date).number)
    return TaxIdentifier(TaxIdKind.TAX_CODE, SensitiveNumber(parse_tax_code(value).digits))
