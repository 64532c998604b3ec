"""Tagging never loads PyTorch, even where the train extra has installed it (it costs ~1 s and ~180 MB)."""

import json
import subprocess
import sys

import pytest

PROBE = """
import importlib.util, json, sys
import pipelines.ner
import thinc.compat
loaded = "torch" in sys.modules
installed = importlib.util.find_spec("torch") is not None
importable = False
if installed:
    import torch  # training imports it after the product's modules: it must still work
    importable = torch.__version__ is not None
print(json.dumps({"loaded": loaded, "thinc_torch": thinc.compat.has_torch, "installed": installed,
                  "importable": importable}))
"""


def test_importing_the_ner_package_leaves_torch_unloaded_and_importable() -> None:
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True, timeout=120)
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen["loaded"] is False and seen["thinc_torch"] is False
    assert seen["importable"] is seen["installed"]


def test_a_process_that_loaded_torch_first_keeps_it() -> None:
    """Training imports torch before the product's modules: the real module stays and thinc may use it."""
    pytest.importorskip("torch", reason="torch is installed only with the tools' train extra")
    probe = (
        "import sys, torch, pipelines.ner, thinc.compat; print(sys.modules['torch'] is torch, thinc.compat.has_torch)"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120)
    assert out.stdout.split() == ["True", "True"]
