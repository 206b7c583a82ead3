"""The search document: overlapping character bigrams of an article's text.

Chinese has no spaces, and word segmentation alone misses words inside longer words
(安海 inside 安海镇). Every pair of neighbouring characters is stored as a lexeme; a query
is turned into its bigrams and matched as a phrase (adjacent lexemes), which finds every
text that contains the query as written. Latin words and numbers are kept whole.
"""

import re
import unicodedata

# Runs of CJK ideographs (and kana/hangul), or runs of Latin letters/digits.
_TOKEN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af]+|[0-9a-z]+")


def _is_cjk(run):
    return not run[0].isascii()


def tokens(text):
    """Return the index tokens of a text: CJK bigrams (a lone ideograph stays a unigram), Latin words."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    out = []
    for match in _TOKEN_RE.finditer(text):
        run = match.group()
        if _is_cjk(run):
            if len(run) == 1:
                out.append(run)
            else:
                out.extend(run[i : i + 2] for i in range(len(run) - 1))
        else:
            out.append(run)
    return out


def document(*parts):
    """Return the space-separated token document stored on the article for the full-text index."""
    return " ".join(" ".join(tokens(part)) for part in parts if part)
