from metrics.views.bulletin import (
    bulletin,
    bulletin_at_risk,
    bulletin_docx,
    bulletin_latest,
    bulletin_pdf,
    bulletin_xlsx,
    publish_bulletin,
    scorecard,
)
from metrics.views.entry import approve_month, entry, entry_latest, reopen_month, submit_month
from metrics.views.importing import values_export, values_import
from metrics.views.indicators import bulletin_source, indicator_detail, indicator_list

__all__ = [
    "bulletin",
    "bulletin_at_risk",
    "bulletin_docx",
    "bulletin_latest",
    "bulletin_pdf",
    "bulletin_source",
    "publish_bulletin",
    "bulletin_xlsx",
    "entry",
    "entry_latest",
    "indicator_detail",
    "indicator_list",
    "approve_month",
    "reopen_month",
    "submit_month",
    "scorecard",
    "values_export",
    "values_import",
]
