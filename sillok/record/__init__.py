"""Stage 1, records: the one record model, the one field schema, and reading a record folder with every problem in it.

Nothing here knows about ledgers, sites or the command line.
"""
