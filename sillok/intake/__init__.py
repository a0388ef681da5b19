"""Stage 4, intake: new records into the archive (``sillok new``, ``sillok import``, ``sillok normalize``)."""
