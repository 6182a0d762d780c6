"""Invented abstract titles and bodies for the benchmark: demo data, describing no real work.

Real abstracts of a data-science-in-physics meeting rarely share more than a fifth of their
word trigrams: each names its own methods, systems, data, numbers and software. Text built
from a dozen fixed sentences makes every pair look alike, which no duplicate check or search
ranking sees in production. So a body here is composed sentence by sentence from many
templates, each slot filled from a large pool of phrases (bench/abstract_phrases.py), with
numbers and invented package names for the long tail real abstracts have.

`Writer.resubmission` makes what the committee's duplicate check exists to catch: an earlier
abstract sent again with a few words changed and perhaps a new title.

Everything draws from the `random.Random` passed in, so a seed gives the same text.
"""

from __future__ import annotations

import random
import re

from bench.abstract_phrases import (
    BASELINES,
    FACILITIES,
    FIELDS,
    METHODS,
    OUTCOMES,
    QUALITIES,
    QUANTITIES,
    SOURCES,
    SYLLABLES,
    SYSTEMS,
    TASKS,
)

# {m} method, {m2} another, {s} system, {k} task, {q} quality, {b} baseline, {d} data,
# {x} quantity, {o} outcome, {f} field, {h} facility, {p} package, {n} {n2} numbers,
# {r} a percentage, {e} a small decimal.
CONTEXT = [
    "Understanding {s} remains a central problem in {f}.",
    "{S} is notoriously hard to model from first principles.",
    "In {f}, {k} for {s} is limited by the cost of simulation.",
    "Measurements of {s} now produce more {d} than can be inspected by hand.",
    "Machine learning has changed how {f} approaches {k}, but {s} has resisted it.",
    "Predicting the {x} of {s} is essential for interpreting experiments.",
    "Recent advances in {m} open new routes to {k}.",
    "The rapid growth of {d} on {s} calls for {q} analysis tools.",
    "Many open questions about {s} hinge on the {x}, which is hard to measure directly.",
    "Experiments on {s} at {h} have reached a precision that outpaces available theory.",
    "{K} sits at the heart of modern {f}, from laboratory tests to large facilities.",
    "Whether {m} can be trusted for {k} is still debated.",
]
GAP = [
    "Existing approaches rely on {b}, which scales poorly with system size.",
    "Standard methods based on {b} miss rare but important configurations.",
    "However, most models ignore the symmetries of the problem and extrapolate badly.",
    "Labelled data are scarce, and {b} requires expert tuning for every new run.",
    "The resulting estimates of the {x} carry uncertainties that are rarely reported.",
    "Current pipelines discard up to {r}% of the recorded {d}.",
    "Published models of {s} disagree by {r}% in the {x}, and the reason is unclear.",
    "Reference calculations with {b} take weeks for each configuration.",
]
APPROACH = [
    "Here we introduce a {q} framework that combines {m} with {m2}.",
    "We develop {p}, an open-source package that applies {m} to {k}.",
    "We propose a {q} approach to {k} based on {m}.",
    "Our method couples {m} to a {q} model of {s}, trained end to end.",
    "We train {m} on {n} {d} and use {m2} to quantify its uncertainty.",
    "We formulate {k} as a learning problem and solve it with {q} {m}.",
    "Building on {m}, we design a {q} pipeline for {k} in {s}.",
    "We revisit {k} for {s} using {m}, with constraints from conservation laws.",
]
DATA = [
    "The model is trained on {n} {d} generated on {h}.",
    "We use {n} {d} collected over {n2} days.",
    "Training takes {e} hours on {h}, and inference under a millisecond per sample.",
    "Our data set comprises {n} {d} and {n2} held-out examples from {s}.",
    "Labels come from {b} for a subset of {n2} cases only.",
    "We benchmark on {n} {d} with known ground truth.",
    "Inputs are {n} {d}, augmented with random rotations and reflections.",
    "A public set of {n} {d} serves for training and a private one of {n2} thousand for tests.",
]
RESULT = [
    "We find that the learned {x} agrees with {b} to within {r}%.",
    "The approach recovers the {x} with a relative error of {e}%.",
    "It {o} {b} on every benchmark we consider.",
    "Our results reveal a previously unnoticed dependence of the {x} on system size.",
    "The learned representation separates the phases without supervision.",
    "Predictions remain accurate when extrapolating to {n2} times larger systems.",
    "On unseen data the model reaches a {x} of {e} with calibrated error bars.",
    "We observe a crossover in the {x} near {e}, consistent with theory.",
    "The method identifies {n2} candidate events that {b} had missed.",
    "Ablations show that most of the gain comes from {m2}.",
    "Performance degrades gracefully as the noise level rises to {r}%.",
    "The inferred {x} follows a power law with exponent {e} over {n2} decades.",
]
COMPARE = [
    "Compared with {b}, the cost drops by a factor of {n2}.",
    "Relative to {b}, false alarms fall by {r}%.",
    "The speed-up over {b} makes {k} feasible during data taking.",
    "Unlike {b}, the model provides uncertainties for every prediction.",
]
IMPLICATION = [
    "These results suggest that {m} can make {k} routine in {f}.",
    "The framework transfers directly to other problems in {f}.",
    "We discuss the limits of the approach and its use for {k} in {s}.",
    "This opens the way to {q} studies of {s} at unprecedented scale.",
    "We outline how the method can guide future experiments on {s}.",
    "Our findings have implications for the design of {q} instruments.",
]
AVAILABILITY = [
    "Code and trained models are released as {p}.",
    "All {d} and scripts are openly available.",
    "A tutorial notebook reproduces the main figures.",
]
TITLES = [
    "{Q} {m} for {k} in {s}",
    "{M} for {k} of {s}",
    "Learning the {x} of {s} with {m}",
    "{K} in {s} using {q} {m}",
    "Towards {q} {k} for {s}",
    "{P}: {q} {k} with {m}",
    "Accelerating {k} in {s} with {m}",
    "What {m} reveals about the {x} of {s}",
    "{Q} {k} of {s} from {d}",
    "Combining {m} and {m2} for {k}",
    "{K} beyond {b}: {m} for {s}",
    "Probing {s} through {q} {k}",
]
DEMO = "(Demo data.)"


class Writer:
    """Abstract titles and bodies drawn from `random`; see the module docstring."""

    def __init__(self, random: random.Random):
        self.random = random

    def slots(self) -> dict[str, str]:
        pick, r = self.random.choice, self.random
        values = {
            "m": pick(METHODS),
            "m2": pick(METHODS),
            "s": pick(SYSTEMS),
            "k": pick(TASKS),
            "q": pick(QUALITIES),
            "b": pick(BASELINES),
            "d": pick(SOURCES),
            "x": pick(QUANTITIES),
            "o": pick(OUTCOMES),
            "f": pick(FIELDS),
            "h": pick(FACILITIES),
            "p": self.package(),
            "n": f"{r.randint(2, 900) * 10 ** r.randint(0, 3):,}",
            "n2": str(r.randint(2, 60)),
            "r": str(r.randint(3, 95)),
            "e": f"{r.uniform(0.01, 9.9):.{r.randint(1, 3)}f}",
        }
        for key in ("m", "s", "k", "q", "p"):
            values[key.upper()] = values[key][:1].upper() + values[key][1:]
        return values

    def package(self) -> str:
        """An invented software name, such as Quantaflow or Zomori."""
        parts = self.random.choices(SYLLABLES, k=self.random.randint(2, 4))
        return "".join(parts).capitalize()

    def sentence(self, templates: list[str], values: dict[str, str]) -> str:
        return self.random.choice(templates).format(**values)

    def title(self) -> str:
        return self.sentence(TITLES, self.slots())

    def body(self) -> str:
        values = self.slots()
        chance = self.random.random
        parts = [self.sentence(CONTEXT, values)]
        if chance() < 0.6:
            parts.append(self.sentence(GAP, values))
        parts.append(self.sentence(APPROACH, values))
        # A few slots change between sentences, as an abstract names more than one thing.
        values |= {k: v for k, v in self.slots().items() if k in {"m2", "b", "n", "n2", "r", "e"}}
        parts.append(self.sentence(DATA, values))
        for _ in range(self.random.randint(1, 3)):
            parts.append(self.sentence(RESULT, values))
            values |= {k: v for k, v in self.slots().items() if k in {"x", "e", "r", "n2"}}
        if chance() < 0.5:
            parts.append(self.sentence(COMPARE, values))
        parts.append(self.sentence(IMPLICATION, values))
        if chance() < 0.3:
            parts.append(self.sentence(AVAILABILITY, values))
        return " ".join([*parts, DEMO])

    def resubmission(self, title: str, body: str) -> tuple[str, str]:
        """`title` and `body` sent again: a few words of the body changed, the title kept,
        edited or replaced."""
        words = body.removesuffix(DEMO).split()  # the label stays as it is
        replacements = [w for pool in (QUALITIES, TASKS) for w in pool if " " not in w]
        for _ in range(self.random.randint(2, 5)):
            at = self.random.randrange(len(words))
            if re.fullmatch(r"[\d.,]+", words[at]):
                words[at] = str(self.random.randint(2, 900))
            else:
                words[at] = self.random.choice(replacements)
        roll = self.random.random()
        if roll < 0.3:
            title = self.title()
        elif roll < 0.7:
            title_words = title.split(" ")
            title_words[self.random.randrange(len(title_words))] = self.random.choice(QUALITIES)
            title = " ".join(title_words)
        return title[:300], " ".join([*words, DEMO])
