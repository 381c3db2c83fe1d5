"""The board paper (PDF) and the results workbook (Excel), and the decision record they print.

No Qt here: the command line and the app's worker call the same functions."""
