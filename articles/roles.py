"""What each newsroom role may do with stories, people, sections, columns, tags and photos.

Registered in ``ArticlesConfig.ready()``; the roles and their groups are ``newsroom.roles``.
"""

from newsroom.roles import CHIEF_EDITOR, EDITOR, REPORTER

# Each role adds these to what the roles below it hold.
PERMISSIONS = {
    REPORTER: [
        "articles.add_article",
        "articles.change_article",
        "articles.view_article",
        "articles.submit_article",
        "articles.add_byline",
        "articles.change_byline",
        "articles.delete_byline",
        "articles.view_byline",
        "articles.add_person",
        "articles.view_person",
        "articles.view_section",
        "articles.view_column",
        "articles.add_tag",
        "articles.view_tag",
        "articles.add_photo",
        "articles.change_photo",
        "articles.view_photo",
    ],
    EDITOR: [
        "articles.review_article",
        "articles.publish_article",
        "articles.withdraw_article",
        "articles.edit_any_article",
        "articles.preview_article",
        "articles.change_person",
        "articles.add_section",
        "articles.change_section",
        "articles.add_column",
        "articles.change_column",
        "articles.change_tag",
        "articles.view_articleevent",
        "articles.delete_photo",
    ],
    CHIEF_EDITOR: ["articles.delete_article"],
}
