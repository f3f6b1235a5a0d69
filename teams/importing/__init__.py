"""Roster export and import as xlsx, with the task-table import's discipline.

reader.py turns an upload into numbered rows (with size and shape limits),
plan.py validates rows and compares them with the open memberships,
apply.py writes a plan all-or-nothing, export.py writes the current rosters.
"""
