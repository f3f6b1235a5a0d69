"""Reading the office's task-breakdown spreadsheet and applying it all-or-nothing.

reader.py turns a file into rows of cells with their spreadsheet row numbers,
parse.py turns rows into validated requirement records, apply.py compares
them with the database and writes the difference in one transaction.
"""
