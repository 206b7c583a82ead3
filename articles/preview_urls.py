"""Preview URLs: in-session previews for authors and editors, and signed links for anyone."""

from django.urls import path

from . import preview

app_name = "preview"

urlpatterns = [
    path("article/<int:pk>/", preview.article_preview, name="article"),
    path("article/<int:pk>/link/", preview.make_link, name="make_link"),
    path("s/<str:token>/", preview.signed_preview, name="signed"),
]
