"""Make a bigger night's workspace from a measured one: every document ``times`` times under new doc ids
(``<doc_id>-r<k>``), so the graph, validate and publish stages can be measured at 10,000 articles
without running NER on 10,000 texts:

    python bench/replicate_partition.py <partition dir> <out partitions dir> 10
    python bench/before_after.py <out partitions dir>/<partition> <scratch dir>
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path


def main() -> None:
    source, out_dir, times = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    target = out_dir / source.name
    target.mkdir(parents=True, exist_ok=True)
    for name in ("raw.jsonl", "clean.jsonl", "linked.jsonl"):
        lines = source.joinpath(name).read_text(encoding="utf-8").splitlines()
        with target.joinpath(name).open("w", encoding="utf-8") as handle:
            for k in range(times):
                for line in lines:
                    row = json.loads(line)
                    row["doc_id"] = f"{row['doc_id']}-r{k}"
                    if "url" in row:
                        row["url"] = f"{row['url']}?copy={k}"
                    handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    for name in ("entities.json", "run.json"):
        shutil.copy2(source / name, target / name)


if __name__ == "__main__":
    main()
