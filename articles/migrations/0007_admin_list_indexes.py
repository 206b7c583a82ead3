# Indexes that serve the admin's article list at scale (filled in by the admin-at-scale work).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0006_byline_roles_english"),
    ]

    operations = []
