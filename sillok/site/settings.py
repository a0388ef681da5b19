"""Site settings: the archive's name, contact and legal basis, read from ``mkdocs.yml`` ``extra.sillok``.

The generator and the templates read the same mapping, so an archive's identity is stated once.
Every text is given per language (``ko:`` / ``en:``); a missing language falls back to the other.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from sillok.errors import ProblemsFound
from sillok.record.model import Office
from sillok.record.schema import LANGUAGES, OFFICE_ID
from sillok.site.data.rights import DEFAULT_RIGHTS, Rights
from sillok.site.labels import subject

DEFAULTS: dict[str, Any] = {
    "name": {"ko": "sillok 기록 보관소", "en": "sillok records archive"},
    "operator": {"ko": "sillok 프로젝트", "en": "the sillok project"},
    "legal_basis": {
        "ko": "「공공기록물 관리에 관한 법률」",
        "en": "the Public Records Management Act",
    },
    "contact": {
        "name": {"ko": "기록 담당자", "en": "the records officer"},
        "email": "records@example.org",
        "phone": "",
    },
    "latest": 10,
}


class SettingsError(ProblemsFound):
    """``extra.sillok`` in mkdocs.yml is not what the generator expects (exit 1: fix mkdocs.yml)."""


@dataclass(frozen=True)
class SiteSettings:
    """What the generated pages need to know about the site they belong to."""

    site_url: str = ""
    """The published address of the site (``site_url``), for permanent URLs and citations; may be empty."""
    name: dict[str, str] = field(default_factory=lambda: dict(DEFAULTS["name"]))
    """The archive's name per language."""
    operator: dict[str, str] = field(default_factory=lambda: dict(DEFAULTS["operator"]))
    """Who keeps the archive, per language."""
    legal_basis: dict[str, str] = field(default_factory=lambda: dict(DEFAULTS["legal_basis"]))
    """The law under which the records are preserved, per language."""
    contact_name: dict[str, str] = field(default_factory=lambda: dict(DEFAULTS["contact"]["name"]))
    """Who handles privacy requests, per language."""
    contact_email: str = DEFAULTS["contact"]["email"]
    contact_phone: str = ""
    latest: int = DEFAULTS["latest"]
    """How many of the latest records the home page lists."""
    rights: Rights = DEFAULT_RIGHTS
    """Under what terms the records may be reused: shown on record pages, published in the data."""
    default_office: Office | None = None
    """The office ``sillok import`` and ``sillok new`` use without ``--office``; a name left out is ''
    (then taken from the newest record of that office)."""

    def for_templates(self) -> dict[str, Any]:
        """The settings as the templates read them (``config.extra.sillok``): every text per language."""
        return {
            "name": dict(self.name),
            "operator": dict(self.operator),
            "operator_subject_ko": subject(self.operator["ko"]),
            "legal_basis": dict(self.legal_basis),
            "contact": {"name": dict(self.contact_name), "email": self.contact_email, "phone": self.contact_phone},
            "latest": self.latest,
            "rights": {"statement": self.rights.statement, "url": self.rights.url or ""},
        }

    @classmethod
    def from_extra(cls, extra: dict | None, site_url: str | None = None, *, source: str = "") -> SiteSettings:
        """Settings from the ``extra`` mapping of mkdocs.yml (its ``sillok`` key); ``source`` names the file in errors."""
        try:
            return cls._from_extra(extra, site_url)
        except SettingsError as exc:
            if not source:
                raise
            raise SettingsError(f"{source}: {exc}") from None

    @classmethod
    def _from_extra(cls, extra: dict | None, site_url: str | None) -> SiteSettings:
        raw = (extra or {}).get("sillok") or {}
        if not isinstance(raw, dict):
            raise SettingsError(f"extra.sillok must be a mapping, got {type(raw).__name__}")
        contact = raw.get("contact") or {}
        if not isinstance(contact, dict):
            raise SettingsError(f"extra.sillok.contact must be a mapping, got {type(contact).__name__}")
        latest = raw.get("latest", DEFAULTS["latest"])
        if not isinstance(latest, int) or isinstance(latest, bool) or latest < 0:
            raise SettingsError(f"extra.sillok.latest must be a whole number >= 0, got {latest!r}")
        rights = raw.get("rights")
        if rights is None:
            rights_value = DEFAULT_RIGHTS
        elif isinstance(rights, dict) and isinstance(rights.get("statement"), str) and rights["statement"].strip():
            url = rights.get("url")
            if url is not None and not (isinstance(url, str) and url.startswith(("https://", "http://"))):
                raise SettingsError(f"extra.sillok.rights.url must be an http(s) address, got {url!r}")
            rights_value = Rights(statement=rights["statement"], url=url)
        else:
            raise SettingsError(
                f"extra.sillok.rights must be a mapping with a statement (and an optional url), got {rights!r}"
            )
        return cls(
            site_url=(site_url or "").rstrip("/") + "/" if site_url else "",
            name=_localized(raw, "name", DEFAULTS["name"]),
            operator=_localized(raw, "operator", DEFAULTS["operator"]),
            legal_basis=_localized(raw, "legal_basis", DEFAULTS["legal_basis"]),
            contact_name=_localized(contact, "name", DEFAULTS["contact"]["name"], prefix="contact."),
            contact_email=str(contact.get("email", DEFAULTS["contact"]["email"]) or ""),
            contact_phone=str(contact.get("phone", "") or ""),
            latest=latest,
            rights=rights_value,
            default_office=_office(raw.get("default_office")),
        )


def _office(value: Any) -> Office | None:
    """``extra.sillok.default_office``: an office id, or a mapping with ``id`` and optional ``ko``/``en`` names."""
    if value is None:
        return None
    if isinstance(value, str):
        value = {"id": value}
    shape = "an office id such as opc, or a mapping with id, ko and en"
    if not isinstance(value, dict) or set(value) - {"id", "ko", "en"}:
        raise SettingsError(f"extra.sillok.default_office must be {shape}, got {value!r}")
    if not (isinstance(value.get("id"), str) and OFFICE_ID.fullmatch(value["id"])):
        raise SettingsError(
            f"extra.sillok.default_office.id must be a lowercase ASCII slug such as opc, got {value.get('id')!r}"
        )
    names = {lang: value.get(lang) or "" for lang in ("ko", "en")}
    if not all(isinstance(name, str) for name in names.values()):
        raise SettingsError(f"extra.sillok.default_office names must be text, got {value!r}")
    return Office(value["id"], names["ko"].strip(), names["en"].strip())


def _localized(raw: dict, key: str, default: dict[str, str], prefix: str = "") -> dict[str, str]:
    value = raw.get(key, default)
    if isinstance(value, str):
        return dict.fromkeys(LANGUAGES, value)
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise SettingsError(f"extra.sillok.{prefix}{key} must be text or a mapping of ko:/en: texts, got {value!r}")
    first = next(iter(value.values()), "")
    return {lang: value.get(lang) or first or default[lang] for lang in LANGUAGES}


class _TolerantLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without running it: ``!ENV`` is read as MkDocs reads it, other tags become None."""


def _env(loader: yaml.SafeLoader, node: yaml.Node):
    """``!ENV NAME`` or ``!ENV [NAME, ..., default]``, as pyyaml-env-tag (MkDocs) reads them."""
    names = (
        [loader.construct_scalar(node)]
        if isinstance(node, yaml.ScalarNode)
        else [loader.construct_object(n) for n in node.value]
    )
    default = names.pop() if len(names) > 1 else None
    for name in names:
        if isinstance(name, str) and name in os.environ:
            return yaml.safe_load(os.environ[name])
    return default


_TolerantLoader.add_constructor("!ENV", _env)
_TolerantLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def read_mkdocs_yml(path: Path) -> SiteSettings:
    """The site settings from a project's mkdocs.yml, read safely (MkDocs itself loads it as code)."""
    try:
        config = yaml.load(path.read_text(encoding="utf-8"), Loader=_TolerantLoader) or {}  # a SafeLoader subclass
    except (OSError, yaml.YAMLError) as exc:
        raise SettingsError(f"{path}: cannot read it: {exc}") from exc
    if not isinstance(config, dict):
        raise SettingsError(f"{path}: expected a mapping of settings")
    site_url = config.get("site_url")
    url = site_url if isinstance(site_url, str) else None
    return SiteSettings.from_extra(config.get("extra") or {}, url, source=str(path))
