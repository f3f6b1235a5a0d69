"""Normalising the names offices type into cells and forms."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# 、 ， , ； ; / and line breaks all separate names in one cell.
_SEPARATORS = re.compile(r"[、,，;；/／\n\r]+")


def normalize_name(value):
    """NFKC (full-width → half-width), trimmed, inner whitespace removed.

    Chinese names never contain meaningful spaces, so "水生态 环境处" and
    "水生态环境处" are the same department.
    """
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value))
    return _SPACES.sub("", text).strip()


def split_names(value):
    """The names in one cell, normalised, in order, without blanks or repeats."""
    if value is None:
        return []
    seen = []
    for part in _SEPARATORS.split(unicodedata.normalize("NFKC", str(value))):
        name = normalize_name(part)
        if name and name not in seen:
            seen.append(name)
    return seen
