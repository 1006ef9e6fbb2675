"""The web layer: what app.py and the pages share, one job per module.

    session    the session's user and language: login gate and forms, page permissions, guarded actions as this user
    store      the store's engine, "the store changed", and the pages' cached reads (one decorator)
    filters    the shared sidebar, its filters, and the line each page starts with
    widgets    metrics, badges, notices, charts and tables as the pages show them
    downloads  the download buttons beside charts and tables (audited), and the page's workbook
    registry   the pages, their menu sections and permissions, as typed records
    loads      uploads, the load history, undo, and the books (FEC) tables
    exports    the board pack, its PDF and dataset exports, each recorded in the audit log
    admin      the accounts and audit log tables
    board      the committee's work: cached reads of meetings, decisions and the catalogue, changes, their tables
    failures   a failed page run told to the reader, its details to the server log
    turns      page runs of a server process one after another, in the order asked, a long one never holding up the rest

Like the pages, none of these imports streamlit: they use `smartdash.inert`.
"""
