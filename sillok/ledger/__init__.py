"""Stage 2, integrity: the ledger, salts, seal log and redaction log (their formats), fixity, sealing,
redaction and the BagIt export.

Imports only :mod:`sillok.record`; commands that need a check result take it from their caller.
"""
