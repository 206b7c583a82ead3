"""The dependency runs one way: ``editions`` uses ``articles``; ``articles`` never names ``editions``.

What needs both apps lives in ``newsroom/`` (the page cache, the role table, the sitemap index) or in
``editions``. Migrations are history and may name whatever existed when they were written.
"""

import ast
import io
import tokenize
from pathlib import Path

from django.conf import settings

ARTICLES = Path(settings.BASE_DIR) / "articles"


def _sources():
    return sorted(p for p in ARTICLES.rglob("*.py") if "migrations" not in p.relative_to(ARTICLES).parts)


def _mentions(source):
    """(line, kind) of every place in a module that imports the editions app or names it."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            modules = [node.module or ""] if node.level == 0 else []
        else:
            modules = []
        if any(module == "editions" or module.startswith("editions.") for module in modules):
            found.append((node.lineno, "import"))
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and "editions" in node.value:
            found.append((node.lineno, "string"))
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT and "editions" in token.string:
            found.append((token.start[0], "comment"))
    return sorted(found)


def test_articles_never_imports_or_names_editions():
    sources = _sources()
    assert len(sources) > 20  # the walk found the app (packages included)
    mentions = [
        f"{path.relative_to(settings.BASE_DIR)}:{line} ({kind})"
        for path in sources
        for line, kind in _mentions(path.read_text(encoding="utf-8"))
    ]
    assert mentions == []


def test_the_check_sees_imports_strings_and_comments():
    source = (
        "import editions.models\n"
        "from editions import services\n"
        "from . import editions_like  # a module of our own, imported relatively\n"
        "import editionsish\n"
        "apps.get_model('editions', 'Edition')\n"
        "# the editions app\n"
    )
    assert _mentions(source) == [(1, "import"), (2, "import"), (5, "string"), (6, "comment")]
