"""Import and export of monthly indicator values in the long format (期间, 区域, 指标代码, 数值, 分子, 分母).

imports.reader reads the workbook's sheets as numbered rows, parse.py turns them into validated
records with row-and-column errors, apply.py plans (plan_sheets, plan_values: no database) and writes
all or nothing.
"""
