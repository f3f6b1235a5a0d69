"""One way to take a spreadsheet upload in: read it within limits, name bad cells by row and column,
keep the file and what it did in an ImportRecord. Knows nothing of the domain: the task table,
indicators and rosters each plan and write their own rows on top of it."""
