"""Text files as people save them: UTF-8 with or without BOM, UTF-16, or Windows-1252."""

from __future__ import annotations

import codecs

from foncier.errors import InvalidInput


def decoded(content: bytes, name: str = "fichier") -> str:
    """UTF-16 when its BOM says so, UTF-8 (with or without BOM), then what Excel on Windows
    writes; cp1252 leaves five bytes undefined, and a file using them is refused."""
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return content.decode("utf-16")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InvalidInput(f"« {name} » : encodage inconnu ; attendu UTF-8 ou Windows-1252.")
