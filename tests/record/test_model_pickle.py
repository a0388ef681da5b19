"""Records cross to worker processes pickled: what arrives is the record that left, still frozen.

:func:`sillok.record.model.quick_pickle` replaces the dataclasses' own state methods (which look up the
fields for every object); these tests hold it to the same round trip, on the sample records and on
generated ones with attachments, translations and sources.
"""

from __future__ import annotations

import dataclasses
import pickle

import pytest
from helpers.records import ROOT, corpus_module

from sillok.check.check import check
from sillok.record import model


def sample_records() -> list[model.Record]:
    records = check([ROOT / "records"]).records
    return records + list(corpus_module().records(60, mixed=True))


def test_a_pickled_record_comes_back_equal_and_frozen():
    records = sample_records()
    assert any(r.attachments for r in records) and any(r.source for r in records)
    again = pickle.loads(pickle.dumps(records, protocol=pickle.HIGHEST_PROTOCOL))
    assert again == records
    for before, after in zip(records, again, strict=True):
        assert dataclasses.astuple(before) == dataclasses.astuple(after)
        with pytest.raises(dataclasses.FrozenInstanceError):
            after.id = "changed"  # type: ignore[misc]


def test_every_model_class_pickles_every_field():
    classes = [c for c in vars(model).values() if isinstance(c, type) and dataclasses.is_dataclass(c)]
    assert {"Record", "Text", "Office", "Attachment"} <= {c.__name__ for c in classes}
    for cls in classes:
        assert cls.__setstate__.__qualname__.startswith("quick_pickle"), f"{cls.__name__} unpickles the slow way"
        names = [f.name for f in dataclasses.fields(cls)]
        assert list(cls.__slots__) == names, cls
