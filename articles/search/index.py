"""The search document: overlapping character bigrams of an article's text.

Chinese has no spaces, and word segmentation alone misses words inside longer words
(安海 inside 安海镇). Every pair of neighbouring characters is stored as a lexeme; a query
is turned into its bigrams and matched as a phrase (adjacent lexemes), which finds every
text that contains the query as written. Latin words and numbers are kept whole.

Layout of the stored document (one line of space-separated tokens):

    <run tokens> | <run tokens> | … || <every distinct ideograph once>

Runs (a stretch of ideographs, or one Latin word) are separated by " | " so that the plain
substring ``"晋江 江市"`` occurs in the document only where 晋江市 was written as one run:
``query.document_substring`` makes that substring to verify the phrase match (PostgreSQL's phrase
operator ignores the "|" and could otherwise join the end of one run to the next). The tail
of single ideographs lets a one-character query be answered from the index too (a character
at the end of a run never starts a bigram).
"""

import re
import unicodedata

# Runs of CJK ideographs (and kana/hangul), or runs of Latin letters/digits.
_TOKEN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af]+|[0-9a-z]+")

RUN_SEPARATOR = " | "
UNIGRAM_SEPARATOR = " || "


def normalize(text):
    """Fold full-width forms and case the way the index does (NFKC, lower case)."""
    return unicodedata.normalize("NFKC", text or "").lower()


def is_cjk(run):
    """True for a run of ideographs, False for a Latin word or number."""
    return not run[0].isascii()


def runs(text):
    """Return the runs of a text after normalisation: ideograph stretches and Latin words."""
    return _TOKEN_RE.findall(normalize(text))


def run_tokens(run):
    """Return the tokens of one run: its bigrams (a lone ideograph stays a unigram), or the word."""
    if is_cjk(run) and len(run) > 1:
        return [run[i : i + 2] for i in range(len(run) - 1)]
    return [run]


def tokens(text):
    """Return the index tokens of a text: CJK bigrams (a lone ideograph stays a unigram), Latin words."""
    out = []
    for run in runs(text):
        out.extend(run_tokens(run))
    return out


def document(*parts):
    """Return the token document stored on the article for the full-text index (layout above)."""
    all_runs = [run for part in parts if part for run in runs(part)]
    body = RUN_SEPARATOR.join(" ".join(run_tokens(run)) for run in all_runs)
    ideographs = sorted({ch for run in all_runs if is_cjk(run) for ch in run})
    if ideographs:
        body += UNIGRAM_SEPARATOR + " ".join(ideographs)
    return body
