"""Spreadsheets in and out: the table contract, CSV and Excel import and export, public-health data."""
