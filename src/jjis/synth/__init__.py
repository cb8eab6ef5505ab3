"""Synthetic countries: the registers of a fictional country, to try, demonstrate and test.

`synthesise(out_dir, children=..., seed=...)` writes one CSV per register (see generate.py);
the same seed gives the same bytes.
"""

from jjis.synth.generate import SynthSummary, default_end_date, synthesise

__all__ = ["SynthSummary", "default_end_date", "synthesise"]
