"""Versions of the legal pages (the regulation, the privacy notice) and what changed
between two of them.

A version is made when a revision of a legal page goes live (``page_published``: right
away, at the end of the legal workflow, or by ``publish_scheduled`` at its go-live
time) and its text differs from the latest version's: republishing the same text (a
changed SEO title, a moved page) makes no new version and asks no parent to accept
again. The version's ``published_at`` is the moment it actually went live.

When a new version of the French regulation (the language of reference) goes live,
every parent account is told by e-mail (``home.tasks``) and must accept it again
(``home.acceptance``).
"""

import difflib
import hashlib
import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import LegalPageMixin, LegalTextVersion


def text_hash(content):
    """SHA-256 of a version's text (its fields, in a canonical JSON form)."""
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def record_version(page, revision=None, *, now=None):
    """Make the next version of ``page`` from its live content, unless the text has not
    changed since the latest version. Returns (version, created)."""
    page = page.specific
    content = page.versioned_content()
    digest = text_hash(content)
    latest = LegalTextVersion.objects.filter(page_id=page.pk).order_by("-number").first()
    if latest is not None and (latest.text_hash == digest or _blocks(latest.content) == _blocks(content)):
        return latest, False  # the same text (only the editor's markup or spacing differs)
    author = getattr(revision, "user", None)
    for _attempt in range(3):  # two publications at once: the unique number decides
        number = (latest.number + 1) if latest else 1
        try:
            with transaction.atomic():
                version = LegalTextVersion.objects.create(
                    page_id=page.pk,
                    kind=page.version_kind,
                    language_code=page.locale.language_code,
                    number=number,
                    title=page.title,
                    content=content,
                    text_hash=digest,
                    change_summary=getattr(page, "change_summary", "") or "",
                    published_at=page.last_published_at or now or timezone.now(),
                    revision_id=getattr(revision, "pk", None),
                    published_by_label=(author.email if author is not None else ""),
                )
            return version, True
        except IntegrityError:
            latest = LegalTextVersion.objects.filter(page_id=page.pk).order_by("-number").first()
    raise RuntimeError("Impossible de numéroter la nouvelle version.")


def on_page_published(sender, instance, revision, **kwargs):
    """page_published receiver for the legal page models."""
    if not isinstance(instance, LegalPageMixin):
        return
    if not instance.live or instance.live_revision_id != getattr(revision, "pk", None):
        return  # scheduled for later: the version is made when it actually goes live
    version, created = record_version(instance, revision)
    if created and version.number > 1 and is_reference_regulation(version):
        from .tasks import announce_new_regulation_version

        transaction.on_commit(lambda: announce_new_regulation_version.enqueue(version.pk))


def is_reference_regulation(version):
    """The French regulation is the text parents accept (translations are for reading)."""
    return version.kind == LegalTextVersion.Kind.REGULATION and version.language_code == reference_language()


def reference_language():
    return settings.LANGUAGE_CODE.split("-")[0]


# -- What changed ------------------------------------------------------------------------

BLOCK_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "dt", "dd", "td", "th"}
HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


class _Blocks(HTMLParser):
    """Rich text → a list of (tag, plain text) paragraphs."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks = []
        self._tag = None
        self._text = []

    def _flush(self):
        text = " ".join("".join(self._text).split())
        if text:
            self.blocks.append((self._tag or "p", text))
        self._text = []

    def handle_starttag(self, tag, attrs):
        if tag in BLOCK_TAGS:
            self._flush()
            self._tag = tag
        elif tag == "br":
            self._text.append(" ")

    def handle_endtag(self, tag):
        if tag in BLOCK_TAGS:
            self._flush()
            self._tag = None

    def handle_data(self, data):
        self._text.append(data)

    def close(self):
        super().close()
        self._flush()


def blocks_of(value, *, rich=True):
    if not rich:
        return [("p", " ".join(line.split())) for line in str(value).splitlines() if line.strip()]
    parser = _Blocks()
    parser.feed(str(value))
    parser.close()
    return parser.blocks


RICH_FIELDS = {"introduction", "body", "rights"}


def _blocks(content):
    blocks = []
    for name, value in content.items():
        if name == "title":
            blocks.append(("h1", value))
        else:
            blocks.extend(blocks_of(value, rich=name in RICH_FIELDS))
    return blocks


def version_blocks(version):
    return _blocks(version.content)


@dataclass
class DiffBlock:
    """One paragraph of the comparison: ``status`` is same, changed, added or removed;
    ``parts`` a list of (op, text) with op in equal, insert, delete."""

    status: str
    tag: str
    parts: list = field(default_factory=list)

    @property
    def is_heading(self):
        return self.tag in HEADING_TAGS


@dataclass
class Diff:
    blocks: list

    @property
    def changed(self):
        return [b for b in self.blocks if b.status != "same"]

    @property
    def counts(self):
        counts = {"changed": 0, "added": 0, "removed": 0}
        for block in self.changed:
            counts[block.status] += 1
        return counts

    def grouped(self):
        """The blocks, each run of unchanged paragraphs folded in one group (the
        template shows it as a closed <details>), except the headings just above a
        change, kept visible so that the reader knows where the change is."""
        groups, run = [], []
        for block in self.blocks:
            if block.status == "same":
                run.append(block)
                continue
            context = []
            while run and run[-1].is_heading and len(context) < 3:
                context.insert(0, run.pop())
            if run:
                groups.append({"unchanged": run})
            groups.extend({"block": heading} for heading in context)
            groups.append({"block": block})
            run = []
        if run:
            groups.append({"unchanged": run})
        return groups


WORD_RE = re.compile(r"\s+|[^\s]+")


def _word_diff(old, new):
    old_words, new_words = WORD_RE.findall(old), WORD_RE.findall(new)
    parts = []
    matcher = difflib.SequenceMatcher(None, old_words, new_words, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(("equal", "".join(old_words[i1:i2])))
            continue
        if op in ("delete", "replace"):
            parts.append(("delete", "".join(old_words[i1:i2])))
        if op == "replace":
            parts.append(("equal", " "))
        if op in ("insert", "replace"):
            parts.append(("insert", "".join(new_words[j1:j2])))
    return parts


def _similar(old, new):
    """Whether ``new`` is a rewrite of ``old`` (compared word by word)."""
    matcher = difflib.SequenceMatcher(None, old.split(), new.split(), autojunk=False)
    return matcher.ratio() >= 0.4


def diff_blocks(old_blocks, new_blocks):
    old_texts = [text for _tag, text in old_blocks]
    new_texts = [text for _tag, text in new_blocks]
    result = []
    matcher = difflib.SequenceMatcher(None, old_texts, new_texts, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            for tag, text in new_blocks[j1:j2]:
                result.append(DiffBlock("same", tag, [("equal", text)]))
            continue
        olds, news = old_blocks[i1:i2], new_blocks[j1:j2]
        # Pair paragraphs that are rewrites of each other; the rest were added or removed.
        while olds or news:
            if olds and news and _similar(olds[0][1], news[0][1]):
                (_t, old_text), (tag, new_text) = olds.pop(0), news.pop(0)
                result.append(DiffBlock("changed", tag, _word_diff(old_text, new_text)))
            elif olds and (not news or len(olds) >= len(news)):
                tag, text = olds.pop(0)
                result.append(DiffBlock("removed", tag, [("delete", text)]))
            else:
                tag, text = news.pop(0)
                result.append(DiffBlock("added", tag, [("insert", text)]))
    return Diff(result)


def diff_versions(older, newer):
    return diff_blocks(version_blocks(older), version_blocks(newer))
