"""factory_boy factories for the whole suite."""

from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from articles.models import Article, Byline, Column, Person, Section
from editions.models import Edition, Page, Placement


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", "pw")

    @factory.post_generation
    def group(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(Group.objects.get(name=extracted))
        if create:
            self.save()


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"记者{n}")


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"栏目{n}")
    slug = factory.Sequence(lambda n: f"section-{n}")


class ColumnFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Column

    name = factory.Sequence(lambda n: f"专栏{n}")
    slug = factory.Sequence(lambda n: f"column-{n}")


class ArticleFactory(factory.django.DjangoModelFactory):
    """An article; by default a draft. Use the traits for other states."""

    class Meta:
        model = Article

    headline = factory.Sequence(lambda n: f"晋江新闻标题{n}")
    body = "<p>昨日，晋江市举行活动。</p>"
    section = factory.SubFactory(SectionFactory)

    class Params:
        review = factory.Trait(status=Article.Status.REVIEW, submitted_at=factory.LazyFunction(timezone.now))
        published = factory.Trait(
            status=Article.Status.PUBLISHED,
            published_at=factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1)),
        )
        scheduled = factory.Trait(
            status=Article.Status.PUBLISHED,
            published_at=factory.LazyFunction(lambda: timezone.now() + timedelta(days=1)),
        )
        withdrawn = factory.Trait(
            status=Article.Status.WITHDRAWN,
            published_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=1)),
        )


class BylineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Byline

    article = factory.SubFactory(ArticleFactory)
    person = factory.SubFactory(PersonFactory)
    role = Byline.Role.REPORTER
    order = factory.Sequence(lambda n: n)


class EditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Edition

    date = factory.Sequence(lambda n: timezone.localdate() - timedelta(days=n + 1))
    number = factory.Sequence(lambda n: 1000 + n)

    class Params:
        released = factory.Trait(
            status=Edition.Status.PUBLISHED,
            released_at=factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1)),
        )


class PageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Page

    edition = factory.SubFactory(EditionFactory)
    number = factory.Sequence(lambda n: n + 1)
    name = "要闻"


class PlacementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Placement

    page = factory.SubFactory(PageFactory)
    article = factory.SubFactory(ArticleFactory, published=True)
    position = factory.Sequence(lambda n: n + 1)
