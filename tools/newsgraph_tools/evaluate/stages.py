"""``newsgraph eval STAGE``: score a stage against the gold files in the shared data folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipelines.settings import Settings


def run_evaluation(stage: str, shared: Path, settings: Settings) -> dict[str, Any]:
    """Run the stage's own evaluation with the configured model, profiles and knowledge base."""
    from pipelines import factory

    if stage == "cleanup":
        from newsgraph_tools.evaluate.cleanup import evaluate_cleanup, evaluate_pages

        profiles = factory.profiles(settings)
        report = evaluate_cleanup(shared / "seeds", shared / "gold" / "cleanup", profiles)
        report["saved_pages"] = evaluate_pages(profiles=profiles)["summary"]
        return report
    if stage == "ner":
        from newsgraph_tools.evaluate.ner import evaluate_all

        return evaluate_all(settings.ner_model, shared)
    if stage == "linking":
        from newsgraph_tools.evaluate.linking import evaluate_linking
        from pipelines.ner import find_mentions

        nlp = factory.ner_for(settings)
        linker = factory.linker(settings)
        report = evaluate_linking(shared / "gold", lambda text: next(iter(find_mentions(nlp, [text]))), linker)
        news = shared / "corpora" / "10kgnad" / "test.csv"
        if news.is_file():
            report["unseen_news"] = _unseen_news(news, nlp, linker, settings)
        return report
    if stage == "quotes":
        from newsgraph_tools.evaluate.quotes import evaluate_quotes
        from pipelines.ner import find_mentions

        nlp = factory.ner_for(settings)
        linker = factory.linker(settings)
        scores = evaluate_quotes(shared, lambda text: list(linker.link(text, next(iter(find_mentions(nlp, [text]))))))
        return {**scores.to_dict(), "summary": scores.summary()}
    raise ValueError(f"unknown stage {stage!r}: choose cleanup, ner, linking or quotes")


def summarize(stage: str, report: dict[str, Any]) -> str:
    """One line for people: the numbers a stage is judged by, so nobody scrolls through the report."""
    if stage == "cleanup":
        totals, pages = report["totals"], report.get("saved_pages", {})
        line = (
            f"cleanup: {len(report['seeds'])} seeds, token F1 mean {totals['mean_f1']:.3f} "
            f"(min {totals['min_f1']:.3f}), {totals['leaked_lines']} leaked lines"
        )
        if "category_accuracy" in totals:
            typed = totals["typed"]
            line += f", typed blocks {typed[0]}/{typed[1]}, removals in category {totals['category_accuracy']:.3f}"
        if pages:
            line += "; saved pages: " + ", ".join(
                f"{name} {score['snippets_ok']}/{score['snippets']}" for name, score in pages.items()
            )
        return line
    if stage == "ner":
        dev, seeds, speed = report["germeval_dev_a"]["micro"], report["seed_gold"]["micro"], report["speed"]
        return (
            f"ner ({report['model']}"
            + (f", entity penalty {report['entity_penalty']:g}" if report.get("entity_penalty") is not None else "")
            + "): "
            f"GermEval dev-a P/R/F1 {dev['precision']:.3f}/{dev['recall']:.3f}/{dev['f1']:.3f}, "
            f"seed gold P/R/F1 {seeds['precision']:.3f}/{seeds['recall']:.3f}/{seeds['f1']:.3f}, "
            f"{speed['words_per_second']:.0f} words/s"
        )
    if stage == "linking":
        parts = [f"{name}: {report[name]['summary']}" for name in ("ner", "gold_spans") if name in report]
        news = report.get("unseen_news")
        if news:
            precision = news["precision"]["precision"]
            parts.append(
                f"unseen news: {news['linked_share']:.1%} of {news['mentions']} mentions linked"
                + (f" ({news['with_candidate_share']:.1%} have a candidate)" if "with_candidate_share" in news else "")
                + (f", precision {precision:.3f} (n={news['precision']['judged']})" if precision is not None else "")
                + (
                    f"; {news['precision']['unjudged']} sampled links not judged yet (--json lists them)"
                    if news["precision"].get("unjudged")
                    else ""
                )
            )
        return "linking: " + "; ".join(parts)
    if stage == "quotes":
        return str(report["summary"])
    raise ValueError(f"unknown stage {stage!r}: choose cleanup, ner, linking or quotes")


def details(stage: str, report: dict[str, Any]) -> list[str]:
    """Lines shown under the summary line: for NER, per-label scores, the confusion table and the top errors."""
    if stage == "ner" and "errors" in report.get("germeval_dev_a", {}):
        from newsgraph_tools.evaluate.ner_errors import report_lines

        return report_lines(report["germeval_dev_a"])
    return []


def _unseen_news(path: Path, nlp: Any, linker: Any, settings: Settings) -> dict[str, Any]:
    """Coverage and judged precision on unseen news (evaluation only; see newsgraph_tools.evaluate.news)."""
    from newsgraph_tools.evaluate.news import JUDGEMENTS, cached_mentions, evaluate_news, model_key, read_news_csv
    from pipelines.ner import find_mentions

    articles = read_news_csv(path)
    cache = settings.cache_dir / "eval" / f"mentions-{path.parent.name}-{settings.ner_model.replace('/', '_')}.json"
    mentions = cached_mentions(articles, lambda texts: find_mentions(nlp, texts), cache, model_key(nlp))
    report = evaluate_news(articles, mentions, linker, judgements=JUDGEMENTS)
    report["unjudged"] = report["unjudged"][:20]
    return report
