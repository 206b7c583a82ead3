"""Public URLs of the news site."""

from django.urls import path

from . import views

app_name = "articles"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("articles/<int:pk>/", views.ArticleDetailView.as_view(), name="detail"),
    path("sections/<slug:slug>/", views.SectionView.as_view(), name="section"),
    path("columns/<slug:slug>/", views.ColumnView.as_view(), name="column"),
    path("people/<int:pk>/", views.PersonView.as_view(), name="person"),
]
