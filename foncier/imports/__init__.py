"""Spreadsheet imports: read the files AIS agents keep, map their columns, parse their cells."""
