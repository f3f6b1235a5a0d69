# Indicators, monthly values and bulletins arrive with the metrics issue.
