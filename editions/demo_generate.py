"""Realistic demo data at scale: Chinese stories recombined from the seed pages, in editions and pages.

Used by ``manage.py generate_demo --articles N`` (N up to 1,000,000) and by the benchmarks. A pool of
distinct stories is derived through ``Article.derive_fields()``, the code ``Article.save()`` runs
(sanitized body, 字数, the search document and any other search column), because bulk writes do not
call ``save()``; rows then go in by batches of editions through ``editions.demo_load`` (COPY on
PostgreSQL, with secondary indexes and foreign keys rebuilt once at the end of a large load).
Every generated story is published, one edition per day (going back from the earliest existing
edition, or from today), with pages, leads and jumps.
"""

import random
import re
import time as clock
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.db.models import Max, Min
from django.utils import timezone

from articles.demo import ensure_sections
from articles.models import Article, Byline, Column, Person
from newsroom.cache import bump_generation

from .demo_load import Rows, Writers, deferred_indexes, reserve_ids
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

    def story(self):
        """One unsaved published story's text, derived exactly as ``Article.save()`` derives it."""
        paragraphs = self.paragraphs()
        kicker = self.rng.choice(self.corpus.headlines)[:60] if self.rng.random() < 0.25 else ""
        subheadline = self.rng.choice(self.corpus.headlines)[:60] if self.rng.random() < 0.2 else ""
        article = Article(
            kicker=kicker,
            headline=self.headline(),
            subheadline=subheadline,
            summary=paragraphs[0][:80],
            body="".join(f"<p>{p}</p>" for p in paragraphs),
            # The one place outside the workflow that writes a status: benchmark data for up to a
            # million back-issue stories goes in with COPY, where a transition per row (audit
            # event, revision, signal) would take hours. It is never run on a newsroom's database.
            status=Article.Status.PUBLISHED,
        )
        # The save path itself (sanitized body, 字数, search document and whatever search columns
        # the model has), so bulk-written stories are exactly what save() would have stored.
        return article.derive_fields()


def pool_size(articles):
    """How many distinct stories to derive: all of a small run, a fiftieth (≥ 2,000) of a large one.

    Deriving a story (sanitizing, counting, building its search document) costs 2–4 ms, up to an
    hour for a million; the seed has only about a hundred sentences, so a million stories repeat their
    sentences anyway. Every generated row gets its own id, date, section, column, bylines and page.
    """
    return min(articles, max(2000, articles // 50))


def _date_range(count_editions):
    """Dates for the new editions: the days before the earliest existing edition (or up to today)."""
    bounds = Edition.objects.aggregate(first=Min("date"), number=Max("number"))
    last = (bounds["first"] - timedelta(days=1)) if bounds["first"] else timezone.localdate()
    first_number = (bounds["number"] or 0) + 1
    dates = [last - timedelta(days=i) for i in range(count_editions)][::-1]
    return dates, first_number


LOADED = (Edition, Page, Article, Byline, Placement)


def generate(articles, *, seed=0, batch_editions=40, log=None):
    """Create ``articles`` published stories in daily editions; return (articles, editions) made."""
    log = log or (lambda message: None)
    started = clock.monotonic()
    gen = Generator(seed=seed)
    sections = [s.pk for s in ensure_sections().values()]
    columns = [
        Column.objects.get_or_create(slug=slug, defaults={"name": name})[0].pk for name, slug in COLUMNS
    ]
    people = [p.pk for p in gen.people()]
    per_edition, per_page = gen.stories_per_edition, gen.pages_per_edition
    editions_needed = max(1, -(-articles // per_edition))
    dates, first_number = _date_range(editions_needed)
    # Every edition is full but the oldest, so the newest one looks like a real day's paper.
    counts = [per_edition] * editions_needed
    counts[0] = articles - per_edition * (editions_needed - 1)

    editions = Rows(Edition, status=Edition.Status.PUBLISHED)
    pages = Rows(Page, state=Page.State.SIGNED_OFF)
    stories = Rows(Article)
    bylines = Rows(Byline)
    placements = Rows(Placement)
    templates = [stories.values(gen.story()) for _ in range(pool_size(articles))]
    log(f"{len(templates)} distinct stories derived in {clock.monotonic() - started:.1f} s")
    reporter, correspondent = Byline.Role.REPORTER, Byline.Role.CORRESPONDENT
    rng = gen.rng
    made = 0
    # Building indexes once at the end is several times faster than maintaining them per row.
    large = articles >= 20000
    with deferred_indexes(LOADED, enabled=large, log=log):
        writers = Writers(
            parallel=large and connection.vendor == "postgresql" and not connection.in_atomic_block
        )
        try:
            for start in range(0, len(dates), batch_editions):
                chunk = dates[start : start + batch_editions]
                chunk_counts = counts[start : start + len(chunk)]
                edition_id = reserve_ids(Edition, len(chunk))
                page_id = reserve_ids(Page, len(chunk) * per_page)
                article_id = reserve_ids(Article, sum(chunk_counts))
                byline_id = reserve_ids(Byline, 2 * sum(chunk_counts))
                placement_id = reserve_ids(Placement, sum(chunk_counts))
                for i, (day, count) in enumerate(zip(chunk, chunk_counts, strict=True)):
                    editions.add(
                        id=edition_id,
                        date=day,
                        number=first_number + start + i,
                        released_at=datetime.combine(day, time(5, 30), SHANGHAI),
                    )
                    page_ids = list(range(page_id, page_id + per_page))
                    for n, pk in enumerate(page_ids):
                        pages.add(
                            id=pk, edition_id=edition_id, number=n + 1, name=PAGE_NAMES[n % len(PAGE_NAMES)]
                        )
                    base = datetime.combine(day, time(6, 0), SHANGHAI)
                    for k in range(count):
                        page_number = k % per_page + 1
                        position = k // per_page + 1
                        column = rng.choice(columns) if rng.random() < 0.05 else None
                        when = base + timedelta(minutes=k * 7 + rng.randint(0, 6))
                        stories.add(
                            rng.choice(templates),
                            id=article_id,
                            section_id=sections[page_number % len(sections)],
                            column_id=column,
                            published_at=when,
                            created_at=when,
                            updated_at=when,
                        )
                        for order, person in enumerate(rng.sample(people, rng.choice((1, 1, 2)))):
                            role = reporter if order == 0 else correspondent
                            bylines.add(
                                id=byline_id, article_id=article_id, person_id=person, role=role, order=order
                            )
                            byline_id += 1
                        # The front-page lead continues on page 3 (下转3版).
                        jump = page_ids[2] if position == 1 and page_number == 1 and per_page > 2 else None
                        placements.add(
                            id=placement_id,
                            edition_id=edition_id,
                            page_id=page_ids[page_number - 1],
                            article_id=article_id,
                            position=position,
                            is_lead=position == 1,
                            continues_on_id=jump,
                        )
                        article_id += 1
                        placement_id += 1
                    edition_id += 1
                    page_id += per_page
                writers.submit([rows.take() for rows in (editions, pages, stories, bylines, placements)])
                made += sum(chunk_counts)
                log(f"{made} / {articles} ({clock.monotonic() - started:.0f} s)")
        finally:
            writers.close()
    log(f"loaded and indexed in {clock.monotonic() - started:.0f} s")
    _gather_statistics()
    log(f"statistics gathered ({clock.monotonic() - started:.0f} s)")
    bump_generation()
    return made, len(dates)


def _gather_statistics():
    """Fresh statistics for the tables just loaded (and the search index's expression).

    Without them the planner takes 2,000 editions for 8 and picks slow joins.
    """
    if connection.vendor != "postgresql":
        return
    tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in LOADED)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}")
