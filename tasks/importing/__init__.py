"""Reading the office's task-breakdown spreadsheet and applying it all-or-nothing.

imports.reader turns a file into rows of cells with their spreadsheet row numbers,
parse.py turns rows into validated requirement records, plan.py decides in memory
what changes, apply.py loads the stored state for it and writes the difference
in one transaction; runs.py keeps each upload as an ImportRecord.
"""
