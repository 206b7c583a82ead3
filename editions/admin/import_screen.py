"""The import screen: upload page files, see the dry run beside the page text, correct it, then load it.

Nothing is written before the editor confirms. Between requests the pages (their text and the parse
as corrected so far) are kept in the session under a random token, at most a few runs at a time; each
correction is a POST (an operation of ``editions.importer.corrections``) that re-renders the preview.
The confirm runs the same load as ``import_pages`` (``editions.importer.load.load_pages``).
"""

import datetime as dt
import hashlib
import json
import logging
import secrets

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from ..importer import corrections
from ..importer.load import LoadRefused, PageInput, load_pages
from ..importer.parse import parse_page
from .import_screen_forms import ImportConfirmForm, ImportEditionForm, ImportPageFormSet

security_log = logging.getLogger("newsroom.security")

SESSION_KEY = "import_screen"
KEEP_RUNS = 3  # runs kept in one session; the oldest goes first
OPERATIONS = ("mark", "assign", "new_story", "split", "merge", "reset")


def _compact(text):
    return "".join(text.split())


def _parse(page):
    return parse_page(
        page["text"], source=page["source"], encoding=page["encoding"], page_number=page["page_number"]
    )


def _sha256(page):
    """The file's hash, as the command records it; a corrected parse hashes the corrections too.

    So the same file imported again with the same corrections changes nothing, and a correction made
    after an import replaces the page like a changed file would.
    """
    if not page["corrections"]:
        return page["sha256"]
    corrected = json.dumps(page["parsed"], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(f"{page['sha256']}\n{corrected}".encode()).hexdigest()


def _apply(parsed, post):
    """Run one correction named by the POST on the parsed page; return the corrected page."""
    action = post.get("action")
    ref = post.get("ref", "")
    if action == "mark":
        return corrections.mark(parsed, ref, post.get("kind", ""), post.get("article") or None)
    if action == "assign":
        return corrections.mark(parsed, ref, "paragraph", post.get("article"))
    if action == "new_story":
        return corrections.new_story(parsed, ref, as_headline=post.get("as_headline") == "1")
    if action == "split":
        return corrections.split(parsed, post.get("article"), post.get("block"))
    return corrections.merge(parsed, post.get("article"))


class ImportScreenMixin:
    """The ImportRun admin's add view is the import screen; a second URL holds the preview of a run."""

    # Runs are still never added by hand (``has_add_permission`` stays False): the add URL imports pages.
    def can_import(self, request):
        """Whether the user may import pages (editions.add_importrun, held by 编辑 and 值班主任)."""
        return request.user.has_perm("editions.add_importrun")

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_import": self.can_import(request)}
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        view = self.admin_site.admin_view(self.import_preview_view)
        return [path("import/<str:token>/", view, name="editions_importrun_import"), *super().get_urls()]

    def _check_import_right(self, request):
        if not self.can_import(request):
            security_log.warning("import screen refused to %s (no editions.add_importrun)", request.user)
            raise PermissionDenied("您没有导入版面的权限。")

    def _context(self, request, title, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            "has_view_permission": self.has_view_permission(request),
            **extra,
        }

    def add_view(self, request, form_url="", extra_context=None):
        """Upload: the edition date and one or more page files, each with its page number and name."""
        self._check_import_right(request)
        edition_form = ImportEditionForm(request.POST or None)
        formset = ImportPageFormSet(request.POST or None, request.FILES or None, prefix="pages")
        if request.method == "POST" and edition_form.is_valid() and formset.is_valid():
            pages = []
            for data in (form.cleaned_data for form in formset.forms):
                if not data.get("file"):
                    continue
                page = {
                    key: data[key]
                    for key in ("source", "sha256", "text", "encoding", "page_number", "page_name")
                }
                page["parsed"] = _parse(page).to_dict()
                page["corrections"] = 0
                pages.append(page)
            token = self._store(
                request, {"date": edition_form.cleaned_data["date"].isoformat(), "pages": pages}
            )
            return redirect("admin:editions_importrun_import", token=token)
        context = self._context(request, "导入版面", edition_form=edition_form, formset=formset)
        return TemplateResponse(request, "admin/editions/importrun/import_upload.html", context)

    def _runs(self, request):
        return request.session.get(SESSION_KEY, {})

    def _store(self, request, run, token=None):
        runs = self._runs(request)
        token = token or secrets.token_urlsafe(12)
        runs.pop(token, None)
        runs[token] = run
        while len(runs) > KEEP_RUNS:
            runs.pop(next(iter(runs)))
        request.session[SESSION_KEY] = runs
        return token

    def _drop(self, request, token):
        runs = self._runs(request)
        runs.pop(token, None)
        request.session[SESSION_KEY] = runs

    def import_preview_view(self, request, token):
        """The dry run beside the page text; POSTs correct it (re-rendered) or confirm the import."""
        self._check_import_right(request)
        run = self._runs(request).get(token)
        if run is None:
            messages.error(request, "这次导入已过期或已完成，请重新上传文件。")
            return redirect("admin:editions_importrun_add")
        try:
            index = int(request.POST.get("p", request.GET.get("p", 0)))
            page = run["pages"][index]
        except (ValueError, IndexError):
            raise Http404("没有这一版。") from None
        confirm_form = ImportConfirmForm(user=request.user)
        if request.method == "POST" and request.POST.get("action") == "confirm":
            confirm_form = ImportConfirmForm(request.POST, user=request.user)
            if confirm_form.is_valid():
                response = self._confirm(request, token, run, confirm_form.cleaned_data["status"])
                if response is not None:
                    return response
            elif request.POST.get("status") == "published":
                security_log.warning("import as published refused to %s (no publish right)", request.user)
        elif request.method == "POST" and request.POST.get("action") in OPERATIONS:
            self._correct(request, page)
            self._store(request, run, token)
            return redirect(f"{reverse('admin:editions_importrun_import', args=[token])}?p={index}")
        context = self._context(
            request,
            f"导入版面：核对 {page['source']}",
            token=token,
            run=run,
            index=index,
            page=page,
            confirm_form=confirm_form,
            **self._preview(page),
        )
        return TemplateResponse(request, "admin/editions/importrun/import_preview.html", context)

    def _correct(self, request, page):
        if request.POST["action"] == "reset":
            page["parsed"], page["corrections"] = _parse(page).to_dict(), 0
            messages.info(request, f"{page['source']}：已恢复为自动解析的结果。")
            return
        try:
            parsed = _apply(corrections.page_from_dict(page["parsed"]), request.POST)
        except corrections.CorrectionError as error:
            messages.error(request, f"{page['source']}：{error.message}")
            return
        page["parsed"] = parsed.to_dict()
        page["corrections"] += 1
        messages.success(request, f"{page['source']}：已修改（尚未写入，确认导入后才写入）。")

    def _confirm(self, request, token, run, status):
        """Load every page of the run as corrected; on success show the ImportRun, else the refusal."""
        date = dt.date.fromisoformat(run["date"])
        inputs = [
            PageInput(
                source=page["source"],
                sha256=_sha256(page),
                parsed=corrections.page_from_dict(page["parsed"]),
                date=date,
                page_number=page["page_number"],
                page_name=page["page_name"],
            )
            for page in run["pages"]
        ]
        try:
            outcomes = load_pages(inputs, status=status, user=request.user)
        except LoadRefused as refusal:
            messages.error(request, f"导入被拒绝，未写入任何内容。{refusal.message}")
            return None
        self._drop(request, token)
        for outcome in outcomes:
            messages.success(
                request,
                f"{outcome.source}（第{outcome.page_number}版）：{outcome.run.get_outcome_display()}，"
                f"稿件 {outcome.articles} 篇（新建 {outcome.articles_created}），未归属 {outcome.unassigned_chars} 字。",
            )
        return redirect("admin:editions_importrun_change", outcomes[0].run.pk)

    def _preview(self, page):
        """What the template shows: the page's lines (unplaced ones marked) and the parse with refs."""
        parsed = corrections.page_from_dict(page["parsed"])
        loose = {_compact(line) for block in parsed.unassigned for line in block.splitlines() if line.strip()}
        lines = [
            {"number": n, "text": line, "unassigned": bool(line.strip()) and _compact(line) in loose}
            for n, line in enumerate(page["text"].splitlines(), start=1)
        ]
        articles = [
            {
                "index": k,
                "article": article,
                "titles": [
                    (slot, label, getattr(article, slot), f"a:{k}:{slot}")
                    for slot, label in corrections.TITLES.items()
                ],
                "body": [(j, block, f"a:{k}:body:{j}") for j, block in enumerate(article.body)],
                "last": k == len(parsed.articles) - 1,
            }
            for k, article in enumerate(parsed.articles)
        ]
        choices = [(k, f"{k + 1}. {a.headline or '（无标题）'}"[:30]) for k, a in enumerate(parsed.articles)]
        return {
            "parsed": parsed,
            "lines": lines,
            "articles": articles,
            "banner": [(i, text, f"b:{i}") for i, text in enumerate(parsed.banner)],
            "unassigned": [(i, text, f"u:{i}") for i, text in enumerate(parsed.unassigned)],
            "article_choices": choices,
            "kinds": corrections.KINDS,
        }
