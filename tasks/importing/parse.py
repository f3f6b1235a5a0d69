"""From numbered rows to validated requirement records, with row-and-column errors."""

import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from imports.errors import RowError, UnreadableFile
from imports.reader import Formula, find_header
from tasks.importing.deadlines import Deadline, DeadlineError, parse_deadline
from tasks.models import MAX_REQUIREMENT_TEXT
from teams.names import normalize_name, split_names

# Column key → header spellings offices use (compared after normalising).
COLUMNS = {
    "number": ["序号", "编号"],
    "pillar": ["工程", "四铁工程", "类别"],
    "task": ["主要任务", "重点任务"],
    "text": ["具体要求", "工作要求", "具体措施"],
    "deadline": ["完成时限", "时限", "完成时间"],
    "officials": ["主管领导", "分管领导", "牵头领导"],
    "responsible": ["责任部门", "责任单位", "牵头部门"],
    "cooperating": ["配合部门", "配合单位", "协办单位"],
    "note": ["备注"],
    "criteria": ["完成标志", "工作目标", "完成标准", "成果形式"],
}
REQUIRED_COLUMNS = ("pillar", "task", "text", "deadline", "officials", "responsible")
HEADER_SEARCH_ROWS = 30
# Field lengths of the models the records end up in; longer values are row errors, not database errors.
MAX_NAME = {"pillar": 100, "task": 500, "department": 100, "official": 50}
MAX_NUMBER = 100000

_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_NUMERAL = r"[0-9０-９]+|[一二三四五六七八九十]+"
# (1) （1） (一) — parenthesised; 1. 1、 一、 1) — followed by a mark; "1 text" — a digit run and a space.
# Full-width forms are listed rather than normalised away, so the text keeps the office's Chinese punctuation.
_NUMBERING = re.compile(
    rf"^\s*(?:[(（]\s*(?P<paren>{_NUMERAL})\s*[)）]|(?P<mark>{_NUMERAL})\s*[.、,:)．，：）](?![0-9０-９])"
    rf"|(?P<space>[0-9０-９]+)\s+)\s*"
)
# A 序号 cell after NFKC: the numeral alone, in brackets, or followed by a mark.
_NUMBER_CELL = re.compile(rf"\((?P<paren>{_NUMERAL})\)|(?P<plain>{_NUMERAL})[.、]?")
_FOOTNOTE = re.compile(r"^(注|说明|备注)\s*[0-9]*\s*[:：]")
_WHITESPACE = re.compile(r"\s+")


@dataclass
class Record:
    row: int
    number: int | None
    pillar_number: int
    pillar_name: str
    task_number: int
    task_title: str
    text: str
    deadline: Deadline
    officials: list = field(default_factory=list)
    responsible: list = field(default_factory=list)
    cooperating: list = field(default_factory=list)
    note: str = ""
    criteria: str = ""


def _numeral(token):
    if token.isdigit():
        return int(token)
    if token == "十":
        return 10
    tens, ten, units = token.partition("十")
    if not ten:
        return _CN_DIGITS.get(token) if len(token) == 1 else None
    return (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(units, 0) if units else 0)


def strip_numbering(value):
    """ "一、锻造铁的政治素养" → (1, "锻造铁的政治素养"); the number is None when there is none.

    Handles 1 / 1. / 1、 / (1) / （1） / 一、 / （一） in full or half width. A digit run
    glued to text ("100家企业") is content, not numbering.
    """
    text = "" if value is None else str(value)
    match = _NUMBERING.match(text)
    rest = normalize_text(text[match.end() :]) if match else ""
    if not match or not rest:
        return None, normalize_text(text)
    token = match.group("paren") or match.group("mark") or match.group("space")
    return _numeral(unicodedata.normalize("NFKC", token)), rest


def _is_header(keys):
    return "text" in keys and len(keys) >= 4


def normalize_text(value):
    """Requirement text keeps its inner punctuation but loses surrounding and repeated whitespace."""
    if value is None:
        return ""
    return _WHITESPACE.sub(" ", str(value)).strip()


def _blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def parse_sheet(sheet):
    """(records, errors) for the whole sheet; errors name the row and the header as written.

    Raises UnreadableFile when no header can be found: then nothing in the file can be trusted.
    """
    header = find_header(sheet.rows, COLUMNS, accept=_is_header, search_rows=HEADER_SEARCH_ROWS)
    if header is None:
        raise UnreadableFile(
            _("找不到表头：表格前 %(rows)d 行中需要有“具体要求”“完成时限”“责任部门”等列名。")
            % {"rows": HEADER_SEARCH_ROWS}
        )
    columns, header_row = header.columns, sheet.rows[header.row][0]
    missing = [COLUMNS[key][0] for key in REQUIRED_COLUMNS if key not in columns]
    if missing:
        return [], [RowError(header_row, _("表头"), _("缺少列：%(names)s") % {"names": "、".join(missing)})]
    records, errors = _Parser(columns).parse(sheet.rows[header.data_start :])
    if not records and not errors:
        # Applying a table without rows would retire every requirement: refuse it instead.
        errors.append(RowError(header_row, _("具体要求"), _("表头下没有任何具体要求：请检查是否选错了工作表或文件。")))
    return records, errors


class _Parser:
    def __init__(self, columns):
        self.columns = columns
        self.records, self.errors = [], []
        self.pillar = self.task = None
        self.pillars = {}  # name → number
        self.tasks = {}  # (pillar number, title) → number
        self.task_titles = {}  # (pillar number, number) → title
        # An office repeats a few deadline phrases and name lists down thousands of rows, so
        # each distinct cell is parsed once. Keys carry the type: the cells 1 and 1.0 are equal
        # dict keys but read as different text.
        self.deadlines = {}  # (type, cell value) → Deadline
        self.name_lists = {}  # (type, cell value) → names
        self.reported = set()  # (row, key) of the cells already reported

    def error(self, row, key, message):
        """One message per cell: a formula refused in a cell is not also reported as that cell left empty."""
        if (row, key) in self.reported:
            return
        self.reported.add((row, key))
        self.errors.append(RowError(row, self.columns[key][1], message))

    def parse(self, rows):
        for number, values in rows:
            cells = {key: (values[col] if col < len(values) else None) for key, (col, _h) in self.columns.items()}
            if all(_blank(v) for v in cells.values()):
                continue
            first = next((v for v in values if not _blank(v)), "")
            if _FOOTNOTE.match(normalize_name(first)):
                break  # footnotes close the table
            self.parse_row(number, cells)
        self.check_numbers()
        return self.records, self.errors

    def parse_row(self, row, cells):
        for key, value in cells.items():
            if isinstance(value, Formula):
                self.error(row, key, _("此处应填写内容，不能是公式“%(formula)s”") % {"formula": value.text[:50]})
                cells[key] = None
        ok = True
        if not _blank(cells.get("pillar")):
            pillar = self.pillar_for(row, cells["pillar"])
            if pillar != self.pillar:
                self.pillar, self.task = pillar, None  # a new pillar starts with its own task
        if not _blank(cells.get("task")) and self.pillar:
            self.task = self.task_for(row, cells["task"])
        if self.pillar is None:
            self.error(row, "pillar", _("未填写所属工程"))
            ok = False
        if self.task is None:
            self.error(row, "task", _("未填写主要任务"))
            ok = False

        _number, text = strip_numbering(cells.get("text"))
        if not text:
            self.error(row, "text", _("具体要求为空"))
            ok = False
        elif len(text) > MAX_REQUIREMENT_TEXT:
            self.error(
                row,
                "text",
                _("内容有%(length)d字，超过%(limit)d字上限") % {"length": len(text), "limit": MAX_REQUIREMENT_TEXT},
            )
            ok = False
        try:
            deadline = self.deadline(cells.get("deadline"))
        except DeadlineError as exc:
            self.error(row, "deadline", str(exc))
            deadline, ok = None, False
        officials = self.names(row, "officials", cells.get("officials"), MAX_NAME["official"])
        if not officials:
            self.error(row, "officials", _("未填写主管领导"))
            ok = False
        responsible = self.names(row, "responsible", cells.get("responsible"), MAX_NAME["department"])
        if not responsible:
            self.error(row, "responsible", _("未填写责任部门"))
            ok = False
        cooperating = []
        if "cooperating" in self.columns:
            cooperating = self.names(row, "cooperating", cells.get("cooperating"), MAX_NAME["department"])
        req_number = self.requirement_number(row, cells.get("number"))
        if not ok:
            return
        self.records.append(
            Record(
                row=row,
                number=req_number,
                pillar_number=self.pillar[0],
                pillar_name=self.pillar[1],
                task_number=self.task[0],
                task_title=self.task[1],
                text=text,
                deadline=deadline,
                officials=officials,
                responsible=responsible,
                cooperating=cooperating,
                note=normalize_text(cells.get("note")),
                criteria=normalize_text(cells.get("criteria")),
            )
        )

    def pillar_for(self, row, value):
        number, name = strip_numbering(value)
        if len(name) > MAX_NAME["pillar"]:
            self.error(row, "pillar", _("名称超过%(limit)d字") % {"limit": MAX_NAME["pillar"]})
            return None
        if self.pillar and self.pillar[1] == name:
            return self.pillar  # repeated on every row instead of merged
        if name in self.pillars:
            return (self.pillars[name], name)
        if number is None or number in self.pillars.values() or number > 1000:
            number = max(self.pillars.values(), default=0) + 1
        self.pillars[name] = number
        return (number, name)

    def task_for(self, row, value):
        number, title = strip_numbering(value)
        if len(title) > MAX_NAME["task"]:
            self.error(row, "task", _("名称超过%(limit)d字") % {"limit": MAX_NAME["task"]})
            return None
        key = (self.pillar[0], title)
        if key in self.tasks:
            return (self.tasks[key], title)
        taken = self.task_titles.get((self.pillar[0], number))
        if number is None or number > 10000 or (taken is not None and taken != title):
            # Numbering runs through the whole table in the office's layout, so continue from the highest.
            number = max((n for (_p, n) in self.task_titles), default=0) + 1
        self.tasks[key] = number
        self.task_titles[(self.pillar[0], number)] = title
        return (number, title)

    def deadline(self, value):
        """parse_deadline, once per distinct cell; an unreadable one raises every time it occurs."""
        key = (type(value), value)
        if key not in self.deadlines:
            self.deadlines[key] = parse_deadline(value)  # Deadline is frozen, so rows may share one
        return self.deadlines[key]

    def names(self, row, key, value, max_length):
        cell = (type(value), value)
        if cell not in self.name_lists:
            self.name_lists[cell] = split_names(value)
        names = list(self.name_lists[cell])  # each record gets its own list
        for name in names:
            if len(name) > max_length:
                self.error(row, key, _("名称“%(name)s…”超过%(limit)d字") % {"name": name[:20], "limit": max_length})
                return []
        return names

    def requirement_number(self, row, value):
        if "number" not in self.columns or _blank(value):
            return None
        raw = normalize_name(value)
        try:
            number = float(raw)
        except ValueError:
            # (1) （1） 1. 1、 一、 as the office numbers rows (the two-level-header layout writes (1)).
            match = _NUMBER_CELL.fullmatch(raw)
            number = _numeral(match.group("paren") or match.group("plain")) if match else None
        if number is None or number != int(number) or not 1 <= number <= MAX_NUMBER:
            self.error(row, "number", _("序号“%(value)s”不是有效的数字") % {"value": raw[:20]})
            return None
        return int(number)

    def check_numbers(self):
        seen = {}
        for record in self.records:
            if record.number is None:
                continue
            if record.number in seen:
                self.error(
                    record.row,
                    "number",
                    _("序号%(number)d与第%(other)d行重复") % {"number": record.number, "other": seen[record.number]},
                )
            seen.setdefault(record.number, record.row)
        # Rows without a number continue after the highest one given.
        following = max(seen, default=0)
        for record in self.records:
            if record.number is None:
                following += 1
                record.number = following
