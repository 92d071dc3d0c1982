"""Text files as people save them: UTF-8 with or without BOM, UTF-16, or Windows-1252."""

from __future__ import annotations

import codecs
import re

from foncier.errors import InvalidInput


class MixedEncodings(InvalidInput):
    """UTF-8 lines and Windows-1252 lines in one file: the message names both lines."""


def decoded(content: bytes, name: str = "fichier") -> str:
    """UTF-16 when its BOM says so, UTF-8 (with or without BOM), then what Excel on Windows
    writes; cp1252 leaves five bytes undefined, and a file using them is refused."""
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return content.decode("utf-16")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        _refuse_mixed(content, error.start, name)
    try:
        return content.decode("cp1252")
    except UnicodeDecodeError:
        pass
    raise InvalidInput(f"« {name} » : encodage inconnu ; attendu UTF-8 ou Windows-1252.")


# An accented letter in UTF-8: a lead byte then continuation bytes. In a Windows-1252 file the
# same bytes read "Ã©": no French text writes that, so finding one means UTF-8 was meant.
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")


def _refuse_mixed(content: bytes, bad: int, name: str) -> None:
    """A file pasted together from UTF-8 and Windows-1252 would be stored as mojibake."""
    for match in _UTF8_SEQUENCE.finditer(content):
        try:
            match.group().decode("utf-8")
        except UnicodeDecodeError:
            continue
        line = content.count(b"\n", 0, bad) + 1
        utf8_line = content.count(b"\n", 0, match.start()) + 1
        raise MixedEncodings(
            f"« {name} » mélange deux encodages : ligne {line}, l'octet 0x{content[bad]:02X} est"
            f" du Windows-1252, mais la ligne {utf8_line} est en UTF-8 ; enregistrez tout le"
            " fichier en UTF-8."
        )
