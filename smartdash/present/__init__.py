"""Views in the reader's language: labels, captions, tables and messages made from what `smartdash.views` returns.

A view holds data and codes (series `due`/`paid`, bucket codes, alert codes with their parameters) and never reads
the reader's language; the functions here turn it into text for one language, and the pages, the deck, the PDF and
the e-mails call them. One module per view.
"""
