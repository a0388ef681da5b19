"""A strict YAML reader: every scalar stays a string, with its position and how it was written.

PyYAML's loaders turn ``NO`` into False, ``0123`` into 83 and ``12:30`` into 750, keep the last of
duplicate keys silently, and honour tags, anchors and aliases. Records must mean exactly what they
say, so this reader builds its own small tree from the parser's events, rejects every one of those
features with a position, and leaves the typing of values to the field schema.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

from sillok.record.problems import ProblemCollector

try:  # libyaml's parser is an order of magnitude faster; the pure one gives the same events.
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

_RESOLVER = yaml.resolver.Resolver()

MAX_DEPTH = 8
"""Deepest nesting a record's metadata may have; parsing stops there (hostile YAML is bounded work).
Its size is bounded before parsing, by the file size limits of :mod:`sillok.record.schema`."""


@dataclass
class Scalar:
    value: str
    line: int
    column: int
    plain: bool
    """Written without quotes, so YAML would type it implicitly."""
    escaped: bool = False
    """Written in double quotes, where backslash escapes (``"\\u202E"``) make characters the file does not show."""

    def implicit_type(self) -> str:
        """What a YAML 1.1 loader would make of this scalar: 'str', 'bool', 'int', 'null', ..."""
        if not self.plain:
            return "str"
        return _RESOLVER.resolve(yaml.ScalarNode, self.value, (True, False)).rsplit(":", 1)[-1]


@dataclass
class Mapping:
    line: int
    column: int
    items: list[tuple[Scalar, Node]] = field(default_factory=list)

    def get(self, key: str) -> Node | None:
        for k, v in self.items:
            if k.value == key:
                return v
        return None


@dataclass
class Sequence:
    line: int
    column: int
    items: list[Node] = field(default_factory=list)


Node = Scalar | Mapping | Sequence


def kind_of(node: Node) -> str:
    return {Scalar: "a single value", Mapping: "a mapping (key: value lines)", Sequence: "a list"}[type(node)]


def parse(text: str, out: ProblemCollector, *, line_offset: int = 0) -> Node | None:
    """Parse one YAML document into a tree of :class:`Scalar`, :class:`Mapping`, :class:`Sequence`.

    ``line_offset`` shifts reported lines, for front matter that starts after a ``---`` line.
    Returns None when the document cannot be read; problems are added to ``out`` either way.
    """
    stack: list[Mapping | Sequence] = []
    pending_key: list[Scalar | None] = []
    root: Node | None = None
    documents = 0
    failed = False

    def pos(event) -> tuple[int, int]:
        return event.start_mark.line + 1 + line_offset, event.start_mark.column + 1

    def add(node: Node, event) -> None:
        nonlocal root
        if not stack:
            root = node
            return
        parent = stack[-1]
        if isinstance(parent, Sequence):
            parent.items.append(node)
        elif pending_key[-1] is None:
            if not isinstance(node, Scalar):
                line, col = pos(event)
                out.error(
                    line, "a mapping key must be a plain name", "write key: value", code="yaml-complex-key", column=col
                )
                pending_key[-1] = Scalar("?", line, col, False)
                return
            for key, _ in parent.items:
                if key.value == node.value:
                    out.error(
                        node.line,
                        f"duplicate key '{node.value}' (first at line {key.line}); YAML would silently keep only the last",
                        f"keep one '{node.value}' line",
                        code="yaml-duplicate-key",
                        column=node.column,
                    )
            pending_key[-1] = node
        else:
            parent.items.append((pending_key[-1], node))
            pending_key[-1] = None

    def reject_features(event) -> None:
        anchor = getattr(event, "anchor", None)
        tag = getattr(event, "tag", None)
        if anchor is None and (tag is None or isinstance(event, yaml.AliasEvent)):
            return  # the usual case, decided without computing a position
        line, col = pos(event)
        if isinstance(event, yaml.AliasEvent):
            out.error(
                line,
                f"YAML alias '*{anchor}' is not allowed",
                "write the value out in full",
                code="yaml-alias",
                column=col,
            )
        elif anchor is not None:
            out.error(
                line,
                f"YAML anchor '&{anchor}' is not allowed",
                "remove the anchor; write values out in full",
                code="yaml-anchor",
                column=col,
            )
        if tag is not None and not isinstance(event, yaml.AliasEvent):
            tag = tag.replace("tag:yaml.org,2002:", "!!")
            out.error(
                line,
                f"YAML tag '{tag}' is not allowed",
                "remove the tag; quote the value if it is text",
                code="yaml-tag",
                column=col,
            )

    loader = _Loader(text)
    try:
        while True:
            event = loader.get_event()  # what yaml.parse yields, without its generator and check_event per event
            kind = type(event)
            if kind is yaml.StreamEndEvent or event is None:
                break
            if kind is yaml.ScalarEvent:  # most events: the common case first
                reject_features(event)
                line, col = pos(event)
                add(Scalar(event.value, line, col, not event.style, event.style == '"'), event)
            elif isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    line, _ = pos(event)
                    out.error(
                        line,
                        "more than one YAML document",
                        "remove the extra '---' line",
                        code="yaml-multiple-documents",
                    )
                    failed = True
                    break
            elif isinstance(
                event, (yaml.ScalarEvent, yaml.AliasEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)
            ):
                reject_features(event)
                line, col = pos(event)
                if isinstance(event, yaml.AliasEvent):
                    add(Scalar(f"*{event.anchor}", line, col, False), event)  # already reported
                else:
                    node = Mapping(line, col) if isinstance(event, yaml.MappingStartEvent) else Sequence(line, col)
                    add(node, event)
                    stack.append(node)
                    pending_key.append(None)
                    if len(stack) > MAX_DEPTH:
                        out.error(
                            line,
                            f"values are nested more than {MAX_DEPTH} levels deep",
                            "records nest at most a few levels (office:, attachments:, title:); remove the extra levels",
                            code="yaml-too-deep",
                            column=col,
                        )
                        failed = True
                        break
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                stack.pop()
                pending_key.pop()
    except yaml.reader.ReaderError as exc:  # a character YAML refuses to read (a control byte, U+FFFE)
        index = exc.position
        if _Loader is not yaml.SafeLoader:  # libyaml counts bytes of UTF-8
            index = len(text.encode("utf-8")[: exc.position].decode("utf-8", "ignore"))
        line = text.count("\n", 0, index) + 1 + line_offset
        column = index - (text.rfind("\n", 0, index) + 1) + 1
        out.error(
            line,
            f"YAML cannot read the character U+{exc.character:04X}"
            if isinstance(exc.character, int)
            else f"YAML cannot read this text: {exc.reason}",
            "delete the character; most editors do not show it",
            code="yaml-syntax",
            column=column,
        )
        return None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 + line_offset) if mark else 0
        column = (mark.column + 1) if mark else 0
        what = exc.problem or exc.context or "cannot be read"
        out.error(
            line,
            f"YAML syntax error: {what}",
            "check indentation, colons and quotes on this line",
            code="yaml-syntax",
            column=column,
        )
        return None
    except yaml.YAMLError as exc:  # pragma: no cover - any other refusal of the parser is still a problem, not a crash
        out.error(1 + line_offset, f"YAML cannot be read: {exc}", code="yaml-syntax")
        return None
    finally:
        loader.dispose()
    if failed:
        return None
    return root
