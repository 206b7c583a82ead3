# Indexes that serve the admin's article list at scale (issue 13): its default ordering (with the
# columns a reporter's list tests), the same ordering per status, section and column, the two
# sortable columns, and the review queue (Article.Meta.indexes); the log's list, newest first and per
# action (ArticleEvent.Meta.indexes).
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0006_byline_roles_english"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                fields=["-published_at", "-created_at", "-id", "status", "created_by"],
                name="article_admin_order_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                fields=["status", "-published_at", "-created_at", "-id", "created_by"],
                name="article_admin_status_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                fields=["section", "-published_at", "-created_at", "-id", "status", "created_by"],
                name="article_admin_section_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                fields=["column", "-published_at", "-created_at", "-id", "status", "created_by"],
                name="article_admin_column_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(fields=["-updated_at", "-id"], name="article_admin_updated_idx"),
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(fields=["-submitted_at", "-id"], name="article_admin_submitted_idx"),
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                fields=["submitted_at", "id"],
                condition=models.Q(status="review"),
                name="article_review_queue_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="articleevent",
            index=models.Index(fields=["-created_at", "-id"], name="articleevent_log_idx"),
        ),
        migrations.AddIndex(
            model_name="articleevent",
            index=models.Index(fields=["action", "-created_at", "-id"], name="articleevent_action_idx"),
        ),
    ]
