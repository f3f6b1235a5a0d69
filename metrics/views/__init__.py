from metrics.views.bulletin import (
    bulletin,
    bulletin_at_risk,
    bulletin_docx,
    bulletin_latest,
    bulletin_pdf,
    bulletin_publish_view,
    bulletin_xlsx,
    scorecard,
)
from metrics.views.entry import (
    entry,
    entry_latest,
    month_approve_view,
    month_reopen_view,
    month_submit_view,
    reporting_overview,
    rule_comment_view,
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
    "bulletin_publish_view",
    "bulletin_xlsx",
    "entry",
    "entry_latest",
    "indicator_detail",
    "indicator_list",
    "month_approve_view",
    "month_reopen_view",
    "month_submit_view",
    "reporting_overview",
    "rule_comment_view",
    "scorecard",
    "values_export",
    "values_import",
    "values_template",
]
