"""sillok: a static records-archive site generator that keeps records as the Annals kept them.

The package is a pure core (record model, field schema, checks, ledger, rendering) behind thin
adapters: ``sillok.cli`` parses arguments and ``sillok.site.plugin`` is the only module that imports MkDocs.
"""

__version__ = "0.1.0"
