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
from metrics.views.entry import (
    approve_month,
    comment_rule,
    entry,
    entry_latest,
    reopen_month,
    reporting_overview,
    submit_month,
)
from metrics.views.importing import values_export, values_import, values_template
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
    "reporting_overview",
    "comment_rule",
    "scorecard",
    "values_export",
    "values_import",
    "values_template",
]
