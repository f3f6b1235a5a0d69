"""A synthetic office-layout table of any size, and a measurement of importing it.

For `make bench` (bench/figures.py) and the tests that check the query count does not grow per row:

    from bench.synthetic import synthetic_table, measure_import
    data = synthetic_table(10_000)
    print(measure_import(data))   # needs reference data (departments, officials) loaded
"""

import io
import resource
import time
from datetime import date

from openpyxl import Workbook, load_workbook

from tasks.importing.export import chinese_numeral

_DEADLINES = ["长期坚持", "每月", "每季度", "2026年12月底前", "2026年第三季度", "2026年上半年", date(2026, 6, 30)]
_OFFICIALS = ["刘初汉", "党组副书记", "分管水副局长", "分管大气副局长"]
_DEPARTMENTS = ["办公室", "水生态环境处", "大气环境处", "组织人事处", "生态环境综合执法支队"]
_COOPERATING = ["各管理局", "机关党委、各处室", "深圳市环境监测中心站", ""]


def synthetic_table(rows, *, pillars=4, per_task=5, edited=()):
    """An .xlsx in the office's layout with `rows` requirements; rows in `edited` get revised text."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["附件1"])
    sheet.append([f"{rows}项任务分解表（基准测试）"])
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=9)
    sheet.append(["序号", "工程", "主要任务", "具体要求", "完成时限", "主管领导", "责任部门", "配合部门", "备注"])
    # Whole tasks per pillar, so no task straddles two pillars.
    per_pillar = -(-rows // pillars // per_task) * per_task or per_task
    for index in range(rows):
        number = index + 1
        pillar, task = index // per_pillar + 1, index // per_task + 1
        first_in_pillar, first_in_task = index % per_pillar == 0, index % per_task == 0 or index % per_pillar == 0
        text = f"第{number}项具体要求：围绕第{task}项主要任务完成年度目标并按期报送进展"
        if number in edited:
            text += "（修订）"
        sheet.append(
            [
                number,
                f"{chinese_numeral(pillar)}、锻造铁的第{pillar}项本领" if first_in_pillar else None,
                f"{task}.第{task}项主要任务" if first_in_task else None,
                text,
                _DEADLINES[index % len(_DEADLINES)],
                _OFFICIALS[index % len(_OFFICIALS)],
                _DEPARTMENTS[index % len(_DEPARTMENTS)],
                _COOPERATING[index % len(_COOPERATING)] or None,
                None,
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def measure_import(data, *, filename="bench.xlsx"):
    """Seconds to import `data` beside openpyxl's plain read-only read of it, and the process's peak memory.

    Memory is the peak resident size of the whole process (ru_maxrss), not a
    tracemalloc trace: tracing allocations slows the import several times over.
    """
    from tasks.importing.runs import breakdown_import

    started = time.perf_counter()
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    for _row in workbook.worksheets[0].iter_rows(values_only=True):
        pass
    workbook.close()
    plain = time.perf_counter() - started

    started = time.perf_counter()
    outcome = breakdown_import(data=data, filename=filename, store_file=False)
    elapsed = time.perf_counter() - started
    return {
        "rows": len(outcome.plan.records) if outcome.plan else 0,
        "counts": outcome.as_json(),
        "openpyxl_read_seconds": round(plain, 3),
        "import_seconds": round(elapsed, 3),
        "ratio": round(elapsed / plain, 2) if plain else None,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
