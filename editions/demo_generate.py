"""Realistic demo data at scale: Chinese stories recombined from the seed pages, in editions and pages.

Used by ``manage.py generate_demo --articles N`` (N up to 1,000,000) and by the benchmarks. Rows are
written with ``bulk_create`` in batches; the search document is built here in Python exactly as
``Article.save()`` builds it (``articles.search.document`` over the same fields), because
``bulk_create`` does not call ``save()``. Every generated story is published, one edition per day
(going back from the earliest existing edition, or from today), with pages, leads and jumps.
"""

import random
import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max, Min
from django.utils import timezone

from articles import search
from articles.demo import ensure_sections
from articles.models import Article, Byline, Column, Person
from articles.sanitize import char_count
from newsroom.cache import bump_generation

from .models import Edition, Page, Placement

SEEDS = Path(settings.BASE_DIR) / "fixtures" / "seeds"
PAGE_NAMES = ["要闻", "综合", "社会", "文体", "经济", "教育", "副刊", "专题"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蔡蒋余杜叶程苏魏吕丁"
GIVEN = "茂霖伊婷秦越志朴文华建国明辉晓燕丽娟伟强海峰小红春梅秀英金龙振宇佳怡子涵思远雨欣俊杰浩然嘉怡"
# Rare words planted in a few stories, so that searches for words inside longer words are measurable.
PLANTED = ["草庵摩尼光佛造像吸引游客。", "安海镇举办民俗文化活动。", "晋江经验持续深化。", "5G基站建设提速。"]
COLUMNS = [("晋江经验", "jinjiang-jingyan"), ("民生观察", "minsheng"), ("乡村振兴", "xiangcun")]
SHANGHAI = ZoneInfo("Asia/Shanghai")


@dataclass
class Corpus:
    """Sentences, paragraph-sized chunks and headline fragments from the seed pages."""

    sentences: list
    headlines: list
    names: list


def load_corpus():
    """Read every seed page and cut it into sentences and headline-like lines."""
    sentences, headlines, names = [], [], set()
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8", errors="replace")
        for block in re.split(r"\n\s*\n", text):
            joined = "".join(line.strip() for line in block.splitlines())
            if not joined:
                continue
            for match in re.finditer(r"(?:记者|通讯员)\s*([\u4e00-\u9fff]{2,3})", joined):
                names.add(match.group(1))
            if len(joined) <= 30 and not re.search(r"[。，；]", joined) and not joined.startswith("本报"):
                if re.search(r"[\u4e00-\u9fff]{4}", joined):
                    headlines.append(joined)
                continue
            for sentence in re.findall(r"[^。！？]+[。！？]", joined):
                sentence = re.sub(r"^本报讯（[^）]*）", "", sentence.strip())
                if len(sentence) >= 8:
                    sentences.append(sentence)
    if not sentences:
        sentences = ["晋江市举行活动。", "活动吸引了众多市民参加。"]
    if not headlines:
        headlines = ["晋江新闻"]
    return Corpus(sentences, headlines, sorted(names))


class Generator:
    """Builds stories, editions, pages, placements and bylines, batch by batch."""

    def __init__(self, *, seed=0, stories_per_edition=48, pages_per_edition=8):
        self.rng = random.Random(seed)
        self.corpus = load_corpus()
        self.stories_per_edition = stories_per_edition
        self.pages_per_edition = pages_per_edition

    def people(self, count=300):
        """A pool of bylined people: the seed's reporters and made-up correspondents."""
        names = list(self.corpus.names)
        while len(names) < count:
            names.append(self.rng.choice(SURNAMES) + "".join(self.rng.sample(GIVEN, self.rng.choice((1, 2)))))
        existing = {p.name: p for p in Person.objects.filter(name__in=names)}
        Person.objects.bulk_create([Person(name=n) for n in dict.fromkeys(names) if n not in existing])
        return list(Person.objects.filter(name__in=names))

    def headline(self):
        """A headline made of one or two seed fragments."""
        first = self.rng.choice(self.corpus.headlines)
        if len(first) < 12 and self.rng.random() < 0.4:
            first += " " + self.rng.choice(self.corpus.headlines)
        return first[:120]

    def paragraphs(self):
        """Three to eight paragraphs of one to four seed sentences (sometimes a planted word)."""
        out = []
        for _ in range(self.rng.randint(3, 8)):
            out.append("".join(self.rng.choice(self.corpus.sentences) for _ in range(self.rng.randint(1, 4))))
        if self.rng.random() < 0.02:
            out.insert(self.rng.randrange(len(out)), self.rng.choice(PLANTED))
        return out

    def article(self, *, section, column, published_at):
        """One unsaved published Article with its search document filled in."""
        paragraphs = self.paragraphs()
        kicker = self.rng.choice(self.corpus.headlines)[:60] if self.rng.random() < 0.25 else ""
        subheadline = self.rng.choice(self.corpus.headlines)[:60] if self.rng.random() < 0.2 else ""
        headline = self.headline()
        summary = paragraphs[0][:80]
        body = "".join(f"<p>{p}</p>" for p in paragraphs)
        return Article(
            kicker=kicker,
            headline=headline,
            subheadline=subheadline,
            summary=summary,
            body=body,
            section=section,
            column=column,
            # The one place outside the workflow that writes a status: benchmark data for up to a
            # million back-issue stories goes in with bulk_create, where a transition per row (audit
            # event, revision, signal) would take hours. It is never run on a newsroom's database.
            status=Article.Status.PUBLISHED,
            published_at=published_at,
            created_at=published_at,
            search_document=search.document(kicker, headline, subheadline, summary, "\n".join(paragraphs)),
            char_count=sum(map(char_count, paragraphs)),
        )


def _date_range(count_editions):
    """Dates for the new editions: the days before the earliest existing edition (or up to today)."""
    bounds = Edition.objects.aggregate(first=Min("date"), number=Max("number"))
    last = (bounds["first"] - timedelta(days=1)) if bounds["first"] else timezone.localdate()
    first_number = (bounds["number"] or 0) + 1
    dates = [last - timedelta(days=i) for i in range(count_editions)][::-1]
    return dates, first_number


def _drop_search_index():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DROP INDEX IF EXISTS article_search_gin")


def _create_search_index():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # A GIN build sorts every lexeme: more memory makes it several times faster.
            cursor.execute("SET maintenance_work_mem = '512MB'")
            cursor.execute(
                "CREATE INDEX IF NOT EXISTS article_search_gin ON articles_article "
                "USING gin (to_tsvector('simple', search_document))"
            )


def generate(articles, *, seed=0, batch_editions=40, log=None):
    """Create ``articles`` published stories in daily editions; return (articles, editions) made."""
    log = log or (lambda message: None)
    gen = Generator(seed=seed)
    sections = list(ensure_sections().values())
    columns = [Column.objects.get_or_create(slug=slug, defaults={"name": name})[0] for name, slug in COLUMNS]
    people = gen.people()
    per_edition = gen.stories_per_edition
    editions_needed = max(1, -(-articles // per_edition))
    dates, first_number = _date_range(editions_needed)
    # Every edition is full but the oldest, so the newest one looks like a real day's paper.
    counts = [per_edition] * editions_needed
    counts[0] = articles - per_edition * (editions_needed - 1)
    rebuild_index = articles >= 20000
    if rebuild_index:
        # Building the GIN index once at the end is several times faster than maintaining it per row.
        _drop_search_index()
    made = 0
    try:
        for start in range(0, len(dates), batch_editions):
            chunk = dates[start : start + batch_editions]
            with transaction.atomic():
                editions = Edition.objects.bulk_create(
                    [
                        Edition(
                            date=day,
                            number=first_number + start + i,
                            status=Edition.Status.PUBLISHED,
                            released_at=datetime.combine(day, time(5, 30), SHANGHAI),
                        )
                        for i, day in enumerate(chunk)
                    ]
                )
                pages = Page.objects.bulk_create(
                    [
                        Page(
                            edition=edition,
                            number=n + 1,
                            name=PAGE_NAMES[n % len(PAGE_NAMES)],
                            state=Page.State.SIGNED_OFF,
                        )
                        for edition in editions
                        for n in range(gen.pages_per_edition)
                    ]
                )
                stories, slots = [], []
                for e_index, edition in enumerate(editions):
                    count = counts[start + e_index]
                    edition_pages = pages[
                        e_index * gen.pages_per_edition : (e_index + 1) * gen.pages_per_edition
                    ]
                    base = datetime.combine(edition.date, time(6, 0), SHANGHAI)
                    for k in range(count):
                        page = edition_pages[k % len(edition_pages)]
                        section = sections[page.number % len(sections)]
                        column = gen.rng.choice(columns) if gen.rng.random() < 0.05 else None
                        when = base + timedelta(minutes=k * 7 + gen.rng.randint(0, 6))
                        stories.append(gen.article(section=section, column=column, published_at=when))
                        slots.append((edition, page, k // len(edition_pages) + 1, edition_pages))
                stories = Article.objects.bulk_create(stories, batch_size=1000)
                bylines, placements = [], []
                for article, (edition, page, position, edition_pages) in zip(stories, slots, strict=True):
                    for order, person in enumerate(gen.rng.sample(people, gen.rng.choice((1, 1, 2)))):
                        role = Byline.Role.REPORTER if order == 0 else Byline.Role.CORRESPONDENT
                        bylines.append(Byline(article=article, person=person, role=role, order=order))
                    jump = None
                    if position == 1 and page.number == 1 and len(edition_pages) > 2:
                        jump = edition_pages[2]  # the front-page lead continues on page 3 (下转3版)
                    placements.append(
                        Placement(
                            edition=edition,
                            page=page,
                            article=article,
                            position=position,
                            is_lead=position == 1,
                            continues_on=jump,
                        )
                    )
                Byline.objects.bulk_create(bylines, batch_size=2000)
                Placement.objects.bulk_create(placements, batch_size=2000)
            made += len(stories)
            log(f"{made} / {articles}")
            if made >= articles:
                break
    finally:
        if rebuild_index:
            log("rebuilding the search index")
            _create_search_index()
    if connection.vendor == "postgresql":
        # Fresh statistics, or the planner takes 2,000 editions for 8 and picks slow joins.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    bump_generation()
    return made, len(dates)
