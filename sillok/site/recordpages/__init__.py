"""Record pages rendered outside MkDocs' per-page loop, in worker processes, and only when their inputs changed.

MkDocs with Material spends about 5 ms per page in its templates, and a record archive is almost all
record pages, which differ only in their title, head, description and content. So MkDocs renders one
*shell* per kind of record page (:mod:`.shell`), and :mod:`.write` fills it for every record, on every
core, reusing the previous build's page when none of the page's inputs changed (:mod:`.cache`).
"""
