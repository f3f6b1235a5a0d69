"""Roster export and import as xlsx, with the task-table import's discipline.

plan.py reads an upload through imports.reader (with a roster's tighter limits),
validates rows and compares them with the open memberships (a RosterState),
apply.py writes a plan all-or-nothing, export.py writes the current rosters.
"""
