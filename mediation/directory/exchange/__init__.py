"""Exchanging lists with spreadsheets: the columns of the template (`columns`), reading a file
into rows (`files`), understanding a row (`rows`), applying the rows (`importing`) and writing
the exports (`exporting`)."""
