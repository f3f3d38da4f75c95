"""Finding an article while the caller is still on the line."""

from mains.kb.models import Article

MAX_ARTICLES = 2000  # a utility's knowledge base is hundreds of articles, scored in memory


def score(article: Article, text: str, words: list[str]) -> int:
    """Title hits weigh most; an article keyword found anywhere in what the caller says
    counts too, since Chinese sentences have no spaces to split on."""
    keyword_hits = sum(1 for k in article.keywords.split() if k and k in text)
    return sum(3 * (w in article.title) + (w in article.body) for w in words) + 2 * keyword_hits


def search_articles(text: str, limit: int = 8) -> list[Article]:
    text = text.strip()
    active = Article.objects.filter(active=True)
    if not text:
        return list(active.order_by("-updated_at")[:limit])
    words = [w for w in text.replace("，", " ").replace(",", " ").split() if w][:8]
    scored = [(score(a, text, words), a) for a in active[:MAX_ARTICLES]]
    return [a for s, a in sorted(scored, key=lambda pair: -pair[0]) if s > 0][:limit]
