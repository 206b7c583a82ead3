"""Public URLs of the news site; every view is wrapped in the anonymous page cache."""

from django.urls import path

from newsroom.cache import cache_public_page as cached

from . import feeds, sitemaps, views

app_name = "articles"
# The query parameters a listing reads (keyset pages); the page cache ignores any other.
LISTING = ("before", "after")

urlpatterns = [
    path("", cached(views.HomeView.as_view()), name="home"),
    path("articles/<int:pk>/", cached(views.ArticleDetailView.as_view()), name="detail"),
    path("sections/<slug:slug>/", cached(views.SectionView.as_view(), query=LISTING), name="section"),
    path("sections/<slug:slug>/rss/", cached(feeds.SectionFeed()), name="section_feed"),
    path("sections/<slug:slug>/atom/", cached(feeds.SectionAtomFeed()), name="section_atom"),
    path("columns/<slug:slug>/", cached(views.ColumnView.as_view(), query=LISTING), name="column"),
    path("columns/<slug:slug>/rss/", cached(feeds.ColumnFeed()), name="column_feed"),
    path("columns/<slug:slug>/atom/", cached(feeds.ColumnAtomFeed()), name="column_atom"),
    path("people/<int:pk>/", cached(views.PersonView.as_view(), query=LISTING), name="person"),
    path("tags/<str:slug>/", cached(views.TagView.as_view(), query=LISTING), name="tag"),
    path("search/", cached(views.SearchView.as_view(), store=False), name="search"),
    path("feeds/latest/rss/", cached(feeds.LatestFeed()), name="latest_feed"),
    path("feeds/latest/atom/", cached(feeds.LatestAtomFeed()), name="latest_atom"),
    # The sitemap index and its sections are site-wide (newsroom/urls.py); the news sitemap is ours.
    path("sitemap-news.xml", cached(sitemaps.news_sitemap), name="news_sitemap"),
]
