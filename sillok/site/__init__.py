"""Stage 5, site: records rendered to page sources, generated into ``docs/records/``, built by MkDocs.

:mod:`sillok.site.plugin` is the only module that imports MkDocs.
"""
