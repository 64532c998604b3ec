"""German named-entity recognition: trained models as spaCy pipelines, chosen by configuration.

``load_ner("default")`` loads the fine-tuned multilingual-e5 encoder (ONNX Runtime),
``load_ner("fast")`` a small spaCy CNN; a path or an installed spaCy package also works.
Importing this package registers the spaCy factories (also registered by entry point).
"""

from pipelines.ner.spacy_import import import_spacy_without_torch

import_spacy_without_torch()

from pipelines.ner.components import E5_FACTORY, NORMALIZER_FACTORY  # noqa: E402 (after spaCy's import)
from pipelines.ner.loading import NerModelNotFoundError, load_ner  # noqa: E402
from pipelines.ner.mentions import find_mentions  # noqa: E402

__all__ = ["E5_FACTORY", "NORMALIZER_FACTORY", "NerModelNotFoundError", "find_mentions", "load_ner"]
