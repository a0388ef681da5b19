"""Helpers the tests import: record trees, site projects, sealed repositories, search sites."""
