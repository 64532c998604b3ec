"""newsgraph's developer tools: the benchmark, NER training and the stage evaluations.

They use the product package (``pipelines``), never the other way round; the product's CLI finds
their commands (``newsgraph bench``, ``newsgraph eval``, ``newsgraph train-ner``) through the
``newsgraph.commands`` entry points this distribution declares.
"""
