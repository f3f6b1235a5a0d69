"""The two ways an upload can be wrong: not a table at all, or a table with bad cells."""

from dataclasses import dataclass

from django.utils.translation import gettext as _


class UnreadableFile(Exception):
    """The file cannot be read as a table at all (exit code 2 for the commands)."""


@dataclass(frozen=True)
class RowError:
    """A cell or row a user must correct: spreadsheet row (0: the file as a whole), the header as the file
    writes it, and what is wrong."""

    row: int
    column: str
    message: str

    def __str__(self):
        if not self.row:
            return _("「%(column)s」：%(message)s") % {"column": self.column, "message": self.message}
        return _("第%(row)d行「%(column)s」：%(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }

    def as_dict(self):
        return {"row": self.row, "column": self.column, "message": self.message}
