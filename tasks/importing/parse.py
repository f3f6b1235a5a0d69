"""From numbered rows to validated requirement records, with row-and-column errors."""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

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
}
_HEADER_LOOKUP = {spelling: key for key, spellings in COLUMNS.items() for spelling in spellings}
REQUIRED_COLUMNS = ("pillar", "task", "text", "deadline", "officials", "responsible")
HEADER_SEARCH_ROWS = 20

_CN_NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_NUMBERING = re.compile(r"^\s*(?:[(（]\s*([0-9一二三四五六七八九十]+)\s*[)）]|([0-9一二三四五六七八九十]+)\s*[.、．,，:：)）]?)\s*")


@dataclass
class ImportError_:
    row: int
    column: str
    message: str

    def __str__(self):
        return _("第%(row)d行「%(column)s」：%(message)s") % {"row": self.row, "column": self.column, "message": self.message}

    def as_dict(self):
        return {"row": self.row, "column": self.column, "message": self.message}


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


def _numeral(token):
    if token.isdigit():
        return int(token)
    if token == "十":
        return 10
    if token.startswith("十"):
        return 10 + _CN_NUMERALS[token[1]]
    if "十" in token:
        tens, _sep, units = token.partition("十")
        return _CN_NUMERALS[tens] * 10 + (_CN_NUMERALS[units] if units else 0)
    return _CN_NUMERALS.get(token)


def strip_numbering(value):
    """("一、锻造铁的政治素养") → (1, "锻造铁的政治素养"); the number is None when absent."""
    text = normalize_name(value)
    match = _NUMBERING.match(text)
    if not match or match.end() == len(text):
        return None, text
    token = match.group(1) or match.group(2)
    # A bare number directly followed by text ("100家…") is content, not numbering.
    if match.group(2) and not re.match(r"[.、．,，:：)）]", text[match.end(2):match.end(2) + 1] or "x"):
        return None, text
    return _numeral(token), text[match.end():]


def find_header(sheet):
    """(row index in sheet.rows, {key: (column index, header text)}) for the header row."""
    for index, (_number, values) in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
        columns = {}
        for column, value in enumerate(values):
            key = _HEADER_LOOKUP.get(normalize_name(value))
            if key and key not in columns:
                columns[key] = (column, normalize_name(value))
        if "text" in columns and len(columns) >= 3:
            return index, columns
    return None, {}


def parse_sheet(sheet):
    """(records, errors) for the whole sheet; errors name the row and the header as written."""
    header_index, columns = find_header(sheet)
    if header_index is None:
        return [], [ImportError_(0, _("表头"), _("找不到表头：需要包含“具体要求”“完成时限”“责任部门”等列。"))]
    missing = [COLUMNS[key][0] for key in REQUIRED_COLUMNS if key not in columns]
    if missing:
        header_row = sheet.rows[header_index][0]
        return [], [ImportError_(header_row, _("表头"), _("缺少列：%(names)s") % {"names": "、".join(missing)})]

    records, errors = [], []
    pillar = task = None
    auto_pillar = auto_task = 0
    for number, values in sheet.rows[header_index + 1:]:
        cells = {key: (values[col] if col < len(values) else None) for key, (col, _h) in columns.items()}
        if all(v is None or normalize_name(v) == "" for v in cells.values()):
            continue
        first = normalize_name(next((v for v in values if v not in (None, "")), ""))
        if first.startswith(("注：", "注:", "说明：", "说明:")):
            break

        def error(key, message):
            errors.append(ImportError_(number, columns[key][1], message))

        for key, value in cells.items():
            if isinstance(value, str) and value.startswith("="):
                error(key, _("此处应为数值，不能是公式“%(formula)s”") % {"formula": value[:50]})
                cells[key] = None

        if cells.get("pillar") not in (None, ""):
            pillar_number, pillar_name = strip_numbering(cells["pillar"])
            auto_pillar = pillar_number or auto_pillar + 1
            pillar = (auto_pillar, pillar_name)
        if cells.get("task") not in (None, ""):
            task_number, task_title = strip_numbering(cells["task"])
            auto_task = task_number or auto_task + 1
            task = (auto_task, task_title)

        text = normalize_text(cells.get("text"))
        if not text:
            error("text", _("具体要求为空"))
        elif len(text) > MAX_REQUIREMENT_TEXT:
            error("text", _("内容超过%(limit)d字") % {"limit": MAX_REQUIREMENT_TEXT})
        if pillar is None:
            error("pillar", _("未填写所属工程"))
        if task is None:
            error("task", _("未填写主要任务"))
        try:
            deadline = parse_deadline(cells.get("deadline"))
        except DeadlineError as exc:
            error("deadline", str(exc))
            deadline = None
        officials = split_names(cells.get("officials"))
        if not officials:
            error("officials", _("未填写主管领导"))
        responsible = split_names(cells.get("responsible"))
        if not responsible:
            error("responsible", _("未填写责任部门"))
        req_number = None
        if "number" in columns and cells.get("number") not in (None, ""):
            raw = normalize_name(cells["number"])
            try:
                req_number = int(float(raw))
            except ValueError:
                error("number", _("序号“%(value)s”不是数字") % {"value": raw})
        if deadline is None or pillar is None or task is None or not text or not officials or not responsible:
            continue
        records.append(
            Record(
                row=number, number=req_number, pillar_number=pillar[0], pillar_name=pillar[1],
                task_number=task[0], task_title=task[1], text=text, deadline=deadline, officials=officials,
                responsible=responsible, cooperating=split_names(cells.get("cooperating")),
                note=normalize_text(cells.get("note")),
            )
        )
    _check_numbers(records, errors, columns)
    return records, errors


def normalize_text(value):
    """Requirement text keeps its inner punctuation but loses surrounding and repeated whitespace."""
    if value is None:
        return ""
    return re.sub(r"\s+", " ", str(value)).strip()


def _check_numbers(records, errors, columns):
    seen = {}
    for position, record in enumerate(records, start=1):
        if record.number is None:
            record.number = position
        if record.number in seen and "number" in columns:
            errors.append(
                ImportError_(
                    record.row, columns["number"][1],
                    _("序号%(number)d与第%(other)d行重复") % {"number": record.number, "other": seen[record.number]},
                )
            )
        seen.setdefault(record.number, record.row)
