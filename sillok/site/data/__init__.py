"""Open data: datasets (CSV, JSON, JSON Lines), per-record JSON and its schema, Atom feeds, linked data."""
