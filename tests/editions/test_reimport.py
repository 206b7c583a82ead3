"""Re-imports never touch what readers have; oversized files are refused by their size before being read."""

from pathlib import Path

import pytest
from django.urls import reverse

from articles import workflow
from articles.models import Article
from editions.importer.load import LoadRefused, load_pages
from editions.importer.service import ImportInputError, PageFile, import_files
from editions.models import Edition, ImportRun, Page, Placement

from .test_import_load import DATE, page_input, story

pytestmark = pytest.mark.django_db


def released_page():
    """A page imported with --status published: its edition released, its stories live."""
    load_pages([page_input([story("头条", lead=True), story("短讯")])], status="published")
    assert Edition.objects.get().status == Edition.Status.PUBLISHED
    return {a.headline: a for a in Article.objects.all()}


def snapshot():
    return sorted(Article.objects.values_list("pk", "headline", "body", "status", "version"))


@pytest.mark.parametrize("force", [False, True])
def test_a_changed_page_of_a_released_edition_is_refused_and_its_stories_stay(client, force):
    articles = released_page()
    before = snapshot()
    changed = page_input([story("头条", lead=True, body=("改过。",))], sha="b" * 64)
    with pytest.raises(LoadRefused) as refused:
        load_pages([changed], status="published", force=force)
    message = refused.value.message
    assert "p1.txt" in message and "第1版" in message and "已出版" in message
    assert "撤回" in message and "重新发布" in message
    assert snapshot() == before
    # Both stories are still where readers found them.
    for article in articles.values():
        assert client.get(reverse("articles:detail", kwargs={"pk": article.pk})).status_code == 200
    assert not ImportRun.objects.exclude(outcome__in=["imported", "refused"]).exists()


def test_the_same_page_again_on_a_released_edition_is_unchanged():
    released_page()
    before = snapshot()
    [outcome] = load_pages([page_input([story("头条", lead=True), story("短讯")])], status="published")
    assert outcome.outcome == "unchanged" and snapshot() == before


def test_no_import_adds_a_page_to_a_released_edition():
    released_page()
    extra = page_input([story("补登", lead=True)], number=2, source="p2.txt", sha="c" * 64)
    with pytest.raises(LoadRefused, match="p2.txt.*已出版，不能再向其中增加第2版"):
        load_pages([extra], status="review")
    assert not Page.objects.filter(number=2).exists()
    assert not Article.objects.filter(headline="补登").exists()


def test_a_published_story_on_an_unreleased_page_is_never_replaced_even_with_force(editor):
    load_pages([page_input([story("头条", lead=True), story("短讯")])], status="review")
    lead = Article.objects.get(headline="头条")
    workflow.article_publish(article=lead, user=editor)  # web first: live before the paper is released
    before = snapshot()
    with pytest.raises(LoadRefused) as refused:
        load_pages([page_input([story("头条", lead=True, body=("新。",))], sha="b" * 64)], force=True)
    assert f"《头条》（#{lead.pk}）" in refused.value.message and "撤回" in refused.value.message
    assert snapshot() == before
    # The refusal is kept for the admin, naming the live story.
    assert "《头条》" in ImportRun.objects.get(outcome="refused").message


def test_an_unreleased_page_is_replaced_and_each_deleted_story_is_recorded_with_who(editor):
    load_pages([page_input([story("头条", lead=True), story("短讯"), story("删掉")])], status="review")
    gone = Article.objects.get(headline="删掉")
    [outcome] = load_pages(
        [page_input([story("头条", lead=True), story("短讯")], sha="b" * 64)], status="review", user=editor
    )
    assert outcome.outcome == "replaced" and not Article.objects.filter(pk=gone.pk).exists()
    run = outcome.run
    assert run.user == editor
    assert f"删除上次导入的稿件《删掉》（#{gone.pk}，待审）" in run.message
    assert run.parsed["deleted"] == [{"article": gone.pk, "headline": "删掉", "status": "review"}]


def test_a_continuation_never_changes_a_published_story_begun_on_another_page(editor):
    load_pages([page_input([story("头条", lead=True)])], status="review")
    lead = Article.objects.get()
    workflow.article_publish(article=lead, user=editor)
    lead.refresh_from_db()
    continued = page_input(
        [story("头条", body=("续文。",), continued_from_page=1)], number=2, source="p2.txt"
    )
    [outcome] = load_pages([continued], status="review")
    after = Article.objects.get(pk=lead.pk)
    assert (after.body, after.version) == (lead.body, lead.version)
    assert Article.objects.count() == 2 and "已发布" in outcome.run.message
    assert Placement.objects.get(article=lead).continues_on is None


# --- size limit -------------------------------------------------------------------------------


def test_a_file_over_the_size_limit_is_refused_by_its_size_before_it_is_read(tmp_path, settings, monkeypatch):
    settings.NEWSROOM_MAX_PAGE_TEXT_BYTES = 1000
    big = tmp_path / "huge.txt"
    big.write_bytes(("本报讯 " * 400).encode())
    real_open = Path.open

    def no_read(self, *args, **kwargs):
        if self == big:
            raise AssertionError("the oversized file was opened")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", no_read)
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("read whole"))
    with pytest.raises(ImportInputError) as refused:
        import_files([PageFile(big, 1, DATE)])
    size = big.stat().st_size
    assert "huge.txt" in refused.value.message and f"{size:,} 字节" in refused.value.message
    assert "文件过大" in refused.value.message and "上限 1,000 字节" in refused.value.message
    assert not Edition.objects.exists() and not ImportRun.objects.exists()


def test_a_file_that_grows_after_the_size_check_is_read_no_further_than_the_limit(
    tmp_path, settings, monkeypatch
):
    settings.NEWSROOM_MAX_PAGE_TEXT_BYTES = 1000
    page = tmp_path / "growing.txt"
    page.write_bytes(("本报讯 " * 400).encode())
    reads = []
    real_open = Path.open

    class Handle:
        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def read(self, size=-1):
            reads.append(size)
            return self.handle.read(size)

    monkeypatch.setattr(Path, "stat", lambda self, **kw: type("S", (), {"st_size": 10})())
    monkeypatch.setattr(Path, "open", lambda self, *a, **kw: Handle(real_open(self, *a, **kw)))
    with pytest.raises(ImportInputError, match="growing.txt：文件过大（1,001 字节"):
        import_files([PageFile(page, 1, DATE)])
    assert reads == [1001]


def test_the_default_limit_is_two_megabytes(settings):
    assert settings.NEWSROOM_MAX_PAGE_TEXT_BYTES == 2 * 1024 * 1024
