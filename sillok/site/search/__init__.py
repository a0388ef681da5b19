"""The static search index, its Korean/English text analysis, and the browser code that reads it."""
