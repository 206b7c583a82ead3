"""The seed, end to end: the manifest imported published gives the real front page of 2024-12-09."""

import datetime as dt
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from articles.models import Article, Byline, Person
from editions.models import Edition, ImportRun, Page, Placement

pytestmark = pytest.mark.django_db

MANIFEST = Path(__file__).resolve().parents[2] / "fixtures" / "seeds" / "manifest.json"

HEADLINES = [
    ("“芯”晋江“核”动能", ""),
    ("今起阳光回归 气温小幅回暖", ""),
    ("安海实验幼儿园 幼儿教育145周年 办学成果展举行", ""),
    ("晋江市交通运输局、林业和园林绿化局 本周轮值接听市长专线", ""),
    ("福祉“放心尖”筑就“幸福家”", "晋江全力提升全市住宅小区治理能力和服务水平"),
    ("蔡国强作品《红帆》在家乡绽放", "“希望每年都回泉州放烟花”"),
]


def import_seed():
    out = StringIO()
    call_command("import_pages", "--manifest", str(MANIFEST), "--status", "published", stdout=out)
    return out.getvalue()


def snapshot():
    return {
        "editions": Edition.objects.count(),
        "pages": Page.objects.count(),
        "articles": sorted(Article.objects.values_list("pk", "version", "status", "body")),
        "persons": Person.objects.count(),
        "bylines": Byline.objects.count(),
        "placements": sorted(Placement.objects.values_list("pk", "position", "article", "continues_on")),
    }


def test_seed_manifest_imports_the_front_page_published():
    output = import_seed()
    assert (
        "000_0566e1bba8b8effc.txt（第1版）：编码 utf-8，稿件 6 篇（新建 6），未归属 0 字，结果：已导入"
        in output
    )

    edition = Edition.objects.get()
    assert edition.date == dt.date(2024, 12, 9) and Edition.objects.released().get() == edition
    page = edition.pages.get(number=1)
    assert page.name == "要闻"
    assert "创新发展“晋江经验”奋力打造中国式现代化县域示范" in page.banner_text
    assert "2023年福建省报刊十大名栏目" in page.banner_text
    assert page.unassigned_text == ""

    placed = list(page.placements.select_related("article", "continues_on").order_by("position"))
    assert [(p.article.headline, p.article.subheadline) for p in placed] == HEADLINES
    assert [p.position for p in placed] == [1, 2, 3, 4, 5, 6]
    lead = placed[0]
    assert lead.is_lead and not any(p.is_lead for p in placed[1:])
    # Page 2 was not imported: no 待定 placeholder is left in the released edition, nor a jump to it.
    assert list(edition.pages.values_list("number", flat=True)) == [1]
    assert lead.continues_on is None
    assert "下转" in ImportRun.objects.get().message
    assert "<h3>百亿“芯”曲线</h3>" in lead.article.body and "<h3>再起“核”动能</h3>" in lead.article.body
    assert "成交94.31万平方米" in placed[4].article.body
    assert Article.objects.published().count() == 6

    def credits(headline):
        article = Article.objects.get(headline=headline)
        return [
            (b.person.name, b.get_role_display())
            for b in article.bylines.select_related("person").order_by("order")
        ]

    assert credits("“芯”晋江“核”动能") == [("柯国笠", "记者"), ("许春", "记者")]
    assert credits("安海实验幼儿园 幼儿教育145周年 办学成果展举行") == [("林伊婷", "记者"), ("秦越", "记者")]
    # 张茂霖 signs two stories (as 本报记者 and in a 本报讯 dateline): one Person.
    assert credits("今起阳光回归 气温小幅回暖") == [("张茂霖", "记者")]
    assert credits("晋江市交通运输局、林业和园林绿化局 本周轮值接听市长专线") == [("张茂霖", "记者")]
    assert Person.objects.filter(name="张茂霖").count() == 1
    weather = Article.objects.get(headline="今起阳光回归 气温小幅回暖")
    assert "昨日9时28分" in weather.body


def test_seed_import_twice_changes_nothing():
    import_seed()
    before = snapshot()
    output = import_seed()
    assert "结果：未变化" in output
    assert snapshot() == before
    assert list(ImportRun.objects.values_list("outcome", flat=True)) == ["unchanged", "imported"]


def test_seed_reuses_the_demo_reporter_person():
    person = Person.objects.create(name="张茂霖")
    import_seed()
    assert set(Byline.objects.filter(person__name="张茂霖").values_list("person", flat=True)) == {person.pk}


def test_seed_edition_is_released_with_every_page_signed_off_by_the_import():
    from articles.people import display_name
    from editions.importer.service import SYSTEM_NAME, SYSTEM_USERNAME
    from editions.models import EditionEvent

    import_seed()
    edition = Edition.objects.get()
    account = edition.released_by
    assert account is not None and account.username == SYSTEM_USERNAME
    assert not account.is_active and not account.has_usable_password()
    assert display_name(account) == SYSTEM_NAME
    for page in edition.pages.all():
        assert page.state == Page.State.SIGNED_OFF
        assert page.signed_off_by == account and page.signed_off_at is not None
    signed = EditionEvent.objects.filter(edition=edition, action=EditionEvent.Action.SIGN_OFF)
    assert sorted(signed.values_list("page__number", flat=True)) == [1]
    assert set(signed.values_list("actor", flat=True)) == {account.pk}
    assert EditionEvent.objects.filter(
        edition=edition, action=EditionEvent.Action.RELEASE, actor=account
    ).exists()
    assert ImportRun.objects.get().user == account


def test_seed_import_as_a_named_user_records_that_user(chief):
    call_command(
        "import_pages",
        "--manifest",
        str(MANIFEST),
        "--status",
        "published",
        "--user",
        chief.username,
        stdout=StringIO(),
    )
    edition = Edition.objects.get()
    assert edition.released_by == chief
    assert {p.signed_off_by for p in edition.pages.all()} == {chief}


def test_seed_edition_shows_readers_no_placeholder(client):
    import_seed()
    edition = Edition.objects.get()
    for url in ("/", "/epaper/", edition.get_absolute_url(), edition.pages.get(number=1).get_absolute_url()):
        response = client.get(url, follow=True)
        assert response.status_code == 200
        html = response.content.decode()
        assert "待定" not in html and "下转2版" not in html
    lead = Article.objects.get(headline="“芯”晋江“核”动能")
    html = client.get(lead.get_absolute_url()).content.decode()
    assert "待定" not in html and "下转2版" not in html
    assert client.get(f"/epaper/{edition.date:%Y-%m-%d}/2/").status_code == 404
