"""The edition board (版面计划): one screen per edition, every page a column, the pool beside them.

The screen is a template and a script (``static/admin_newsroom/board.js``, SortableJS for dragging);
it reads ``board/data/`` and ``board/pool/`` and sends every change to ``board/action/``, which calls
one service of ``editions.services`` with the page version the board showed. A refusal comes back as
JSON with the fresh board: 409 when someone changed the page meanwhile (the board says what and
offers the user's action again), 400 for any other refusal, 403 for a missing right (the service has
recorded it). Who may see the board is who may see the edition; reporters may not.
"""

from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_POST

from articles.models import Article

from .. import board, services
from ..forms import EditionReleaseForm
from ..models import Edition, Page, Placement


class BoardRefusal(Exception):
    """A request the board cannot carry out as sent (a page or story gone): answered 409 or 400."""

    def __init__(self, message, status=400):
        super().__init__(message)
        self.message, self.status = message, status


def board_urls(model_admin):
    """The board's URLs under the edition admin: the screen, its data, its pool and its actions."""
    views = BoardViews(model_admin)
    wrap = model_admin.admin_site.admin_view
    return [
        path("<path:object_id>/board/", wrap(require_GET(views.screen)), name="editions_edition_board"),
        path(
            "<path:object_id>/board/data/", wrap(require_GET(views.data)), name="editions_edition_board_data"
        ),
        path(
            "<path:object_id>/board/pool/", wrap(require_GET(views.pool)), name="editions_edition_board_pool"
        ),
        path(
            "<path:object_id>/board/action/",
            wrap(require_POST(views.action)),
            name="editions_edition_board_action",
        ),
    ]


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class BoardViews:
    """The board's views, bound to the edition admin (its permissions decide who sees the board)."""

    def __init__(self, model_admin):
        self.model_admin = model_admin

    def _edition(self, request, object_id):
        edition = get_object_or_404(Edition, pk=_int(object_id))
        if not self.model_admin.has_view_permission(request, edition):
            raise PermissionDenied
        return edition

    def screen(self, request, object_id):
        """The board's page: the frame the script fills, the release form, the URLs it talks to."""
        edition = self._edition(request, object_id)
        context = {
            **self.model_admin.admin_site.each_context(request),
            "title": f"版面计划：{edition}",
            "edition": edition,
            "opts": Edition._meta,
            "release_form": EditionReleaseForm(edition=edition),
            "urls": {
                "data": reverse("admin:editions_edition_board_data", args=[edition.pk]),
                "pool": reverse("admin:editions_edition_board_pool", args=[edition.pk]),
                "action": reverse("admin:editions_edition_board_action", args=[edition.pk]),
                "edition": reverse("admin:editions_edition_change", args=[edition.pk]),
            },
        }
        return TemplateResponse(request, "admin/editions/edition/board.html", context)

    def data(self, request, object_id):
        """The board as JSON; with ``?stamp=`` equal to the current one, only ``{"unchanged": true}``."""
        edition = self._edition(request, object_id)
        stamp = request.GET.get("stamp")
        if stamp and stamp == board.board_stamp(edition):
            return JsonResponse({"unchanged": True, "stamp": stamp})
        return JsonResponse(board.board_state(edition, request.user))

    def pool(self, request, object_id):
        """Stories to place, filtered by ``section`` and ``q`` (the admin's search)."""
        edition = self._edition(request, object_id)
        data = board.pool(
            edition,
            request.user,
            section=_int(request.GET.get("section")),
            text=(request.GET.get("q") or "")[:100],
        )
        return JsonResponse(data)

    def action(self, request, object_id):
        """Carry out one board action through its service and answer with the board as it now is."""
        edition = self._edition(request, object_id)
        name = request.POST.get("action", "")
        handler = getattr(self, f"_do_{name.replace('-', '_')}", None)
        if handler is None:
            return JsonResponse({"error": "没有这种版面操作。"}, status=400)
        try:
            message = handler(request, edition, request.POST)
        except services.PageConflict as error:
            return self._refused(
                request, edition, _what_changed(edition, request.POST) or error.message, 409, conflict=True
            )
        except services.EditionError as error:
            return self._refused(request, edition, error.message, 400)
        except BoardRefusal as error:
            return self._refused(request, edition, error.message, error.status, conflict=error.status == 409)
        except PermissionDenied as error:
            return JsonResponse({"error": getattr(error, "message", "您没有权限执行此操作。")}, status=403)
        edition.refresh_from_db()
        return JsonResponse(
            {"ok": True, "message": message, "board": board.board_state(edition, request.user)}
        )

    def _refused(self, request, edition, message, status, conflict=False):
        edition.refresh_from_db()
        return JsonResponse(
            {"error": message, "conflict": conflict, "board": board.board_state(edition, request.user)},
            status=status,
        )

    # Looking up what an action names: a page or story someone removed meanwhile is a conflict.

    def _page(self, edition, value):
        page = Page.objects.select_related("edition").filter(edition=edition, pk=_int(value)).first()
        if page is None:
            raise BoardRefusal("这个版面已不存在，版面计划已刷新。", status=409)
        return page

    def _placement(self, edition, value):
        placement = (
            Placement.objects.select_related("page__edition", "article", "continues_on")
            .filter(edition=edition, pk=_int(value))
            .first()
        )
        if placement is None:
            raise BoardRefusal("这篇稿件已被他人移动或撤下，版面计划已刷新。", status=409)
        return placement

    # One method per action; each returns the message the board announces (Chinese).

    def _do_place(self, request, edition, data):
        page = self._page(edition, data.get("page"))
        article = Article.objects.visible_to(request.user).filter(pk=_int(data.get("article"))).first()
        if article is None:
            raise BoardRefusal("找不到这篇稿件，或您无权查看。")
        placement = services.placement_add(
            page=page,
            article=article,
            user=request.user,
            position=_int(data.get("position")),
            version=_int(data.get("version")),
        )
        return f"已将{services.describe(article)}放到第{page.number}版第{_position(placement)}条。"

    def _do_move(self, request, edition, data):
        placement = self._placement(edition, data.get("placement"))
        target = self._page(edition, data.get("page"))
        source_number = placement.page.number
        moved = services.placement_transfer(
            placement=placement,
            user=request.user,
            page=target,
            position=_int(data.get("position")),
            version=_int(data.get("version")),
            target_version=_int(data.get("target_version")),
        )
        where = f"第{target.number}版第{_position(moved)}条"
        if target.number == source_number:
            return f"已将{services.describe(placement.article)}移到{where}。"
        return f"已将{services.describe(placement.article)}从第{source_number}版移到{where}。"

    def _do_step(self, request, edition, data):
        placement = self._placement(edition, data.get("placement"))
        step = -1 if data.get("direction") == "up" else 1
        services.placement_move(
            placement=placement, user=request.user, step=step, version=_int(data.get("version"))
        )
        return f"已将{services.describe(placement.article)}{'上移' if step < 0 else '下移'}。"

    def _do_lead(self, request, edition, data):
        placement = self._placement(edition, data.get("placement"))
        version = _int(data.get("version"))
        if placement.is_lead:
            services.placement_clear_lead(placement=placement, user=request.user, version=version)
            return f"已取消{services.describe(placement.article)}的头条。"
        services.placement_mark_lead(placement=placement, user=request.user, version=version)
        return f"{services.describe(placement.article)}已设为第{placement.page.number}版头条。"

    def _do_jump(self, request, edition, data):
        placement = self._placement(edition, data.get("placement"))
        target = self._page(edition, data.get("page")) if data.get("page") else None
        services.placement_set_jump(
            placement=placement, user=request.user, continues_on=target, version=_int(data.get("version"))
        )
        if target is None:
            return f"已取消{services.describe(placement.article)}的下转。"
        return f"{services.describe(placement.article)}下转第{target.number}版。"

    def _do_remove(self, request, edition, data):
        placement = self._placement(edition, data.get("placement"))
        services.placement_remove(placement=placement, user=request.user, version=_int(data.get("version")))
        return f"已将{services.describe(placement.article)}撤下第{placement.page.number}版。"

    def _do_proofread(self, request, edition, data):
        page = self._page(edition, data.get("page"))
        services.page_proofread(page=page, user=request.user, version=_int(data.get("version")))
        return f"第{page.number}版已校对。"

    def _do_sign_off(self, request, edition, data):
        page = self._page(edition, data.get("page"))
        services.page_sign_off(page=page, user=request.user, version=_int(data.get("version")))
        return f"第{page.number}版已签发，现为只读。"

    def _do_reopen(self, request, edition, data):
        page = self._page(edition, data.get("page"))
        note = (data.get("note") or "").strip()[:200] or "在版面计划中退回编排"
        services.page_reopen(page=page, user=request.user, note=note)
        return f"第{page.number}版已退回编排，可以修改。"

    def _do_release(self, request, edition, data):
        if not request.user.has_perm(services.RELEASE_PERM):
            # The service records the refusal in the history and raises EditionForbidden (403).
            services.edition_release(edition=edition, user=request.user)
        form = EditionReleaseForm(data, edition=edition)
        if not form.is_valid():
            raise BoardRefusal("；".join(e for errors in form.errors.values() for e in errors))
        edition = services.edition_release(edition=edition, user=request.user, when=form.release_time())
        if edition.is_released:
            return f"{edition}已出版。"
        return f"{edition}将定时出版，届时读者可见。"


def _what_changed(edition, data):
    """Say who changed which page and what, for each page the action named with the plan the board showed."""
    said = []
    for page_field, version_field, plan_field in (
        ("version_page", "version", "loaded"),
        ("page", "target_version", "target_loaded"),
    ):
        page = Page.objects.filter(edition=edition, pk=_int(data.get(page_field))).first()
        version = _int(data.get(version_field))
        if page is None or version is None or page.version == version:
            continue
        loaded = services.plans.loads(data.get(plan_field))
        said.append(services.plans.conflict_message(page, loaded))
    return " ".join(dict.fromkeys(said))


def _position(placement):
    return Placement.objects.filter(pk=placement.pk).values_list("position", flat=True).first() or ""
