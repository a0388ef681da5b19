"""Regenerate the generated parts of guide/: commands.md, and the field and code tables of record-format.md.

.venv/bin/python scripts/write_guide.py          # rewrite them
.venv/bin/python scripts/write_guide.py --check  # exit 1 if any is stale (the tests check the same)
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from sillok.cli import commands_markdown
from sillok.record.codes import codes_markdown
from sillok.record.schema import fields_markdown

GUIDE = Path(__file__).resolve().parent.parent / "guide"


def between(text: str, name: str, content: str) -> str:
    """Replace what lies between ``<!-- name:start -->`` and ``<!-- name:end -->``."""
    pattern = re.compile(rf"(<!-- {name}:start -->\n).*?(<!-- {name}:end -->)", re.S)
    if not pattern.search(text):
        raise SystemExit(f"guide/record-format.md lost its <!-- {name}:start --> / <!-- {name}:end --> markers")
    return pattern.sub(lambda m: m.group(1) + content + m.group(2), text)


def expected() -> dict[Path, str]:
    record_format = GUIDE / "record-format.md"
    text = record_format.read_text("utf-8")
    text = between(between(text, "fields", fields_markdown()), "codes", codes_markdown())
    return {GUIDE / "commands.md": commands_markdown(), record_format: text}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a page is stale")
    args = parser.parse_args()
    stale = [path for path, text in expected().items() if not path.exists() or path.read_text("utf-8") != text]
    if args.check:
        for path in stale:
            print(f"{path.relative_to(GUIDE.parent)} is stale: run python scripts/write_guide.py", file=sys.stderr)
        return 1 if stale else 0
    for path, text in expected().items():
        if path in stale:
            path.write_text(text, "utf-8")
            print(f"wrote {path.relative_to(GUIDE.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
