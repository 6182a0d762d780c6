"""Invented abstract titles and bodies for the benchmark: demo data, describing no real work.

Real abstracts of a data-science-in-physics meeting rarely share more than a fifth of their
word trigrams: each names its own methods, systems, data, numbers and software. Text built
from a dozen fixed sentences (as this generator's first version did) makes every pair look
alike, which no duplicate check or search ranking sees in production. So a body here is
composed sentence by sentence from many templates, each slot filled from a large pool of
phrases, with numbers and invented package names for the long tail real abstracts have.

`Writer.resubmission` makes what the committee's duplicate check exists to catch: an earlier
abstract sent again with a few words changed and perhaps a new title.

Everything draws from the `random.Random` passed in, so a seed gives the same text.
"""

from __future__ import annotations

import random
import re

METHODS = [
    "graph neural networks",
    "Gaussian process regression",
    "variational autoencoders",
    "normalizing flows",
    "kernel ridge regression",
    "random forests",
    "symbolic regression",
    "sparse identification of nonlinear dynamics",
    "Koopman operator methods",
    "tensor networks",
    "diffusion models",
    "transformers",
    "reservoir computing",
    "Hamiltonian Monte Carlo",
    "nested sampling",
    "simulation-based inference",
    "active learning",
    "Bayesian optimisation",
    "physics-informed neural networks",
    "equivariant networks",
    "contrastive learning",
    "topological data analysis",
    "persistent homology",
    "dynamic mode decomposition",
    "principal component analysis",
    "independent component analysis",
    "convolutional autoencoders",
    "mixture density networks",
    "conformal prediction",
    "boosted decision trees",
    "message-passing networks",
    "neural operators",
    "Fourier neural operators",
    "deep sets",
    "point-cloud networks",
    "recurrent networks",
    "echo state networks",
    "spectral clustering",
    "hierarchical clustering",
    "diffusion maps",
    "matrix product states",
    "restricted Boltzmann machines",
    "variational quantum circuits",
    "quantum kernel methods",
    "compressed sensing",
    "ensemble Kalman filters",
    "particle filters",
    "Markov chain Monte Carlo",
    "approximate Bayesian computation",
    "importance sampling",
    "reinforcement learning",
    "evolutionary algorithms",
    "genetic programming",
    "differentiable simulators",
    "automatic differentiation",
    "neural ordinary differential equations",
    "self-supervised pretraining",
    "transfer learning",
    "federated learning",
    "multi-fidelity surrogates",
    "polynomial chaos expansions",
    "Gaussian mixture models",
    "hidden Markov models",
    "wavelet scattering transforms",
    "vision transformers",
    "graph attention networks",
    "Bayesian neural networks",
    "deep ensembles",
    "Monte Carlo dropout",
    "mutual information estimators",
    "causal discovery algorithms",
    "optimal transport",
    "kernel density estimation",
    "isolation forests",
    "support vector machines",
    "logistic regression",
    "k-nearest neighbours",
    "canonical correlation analysis",
    "nonnegative matrix factorisation",
    "tensor decompositions",
    "randomised linear algebra",
    "streaming algorithms",
    "quantised networks on FPGAs",
    "knowledge distillation",
    "foundation models",
    "large language models",
    "implicit neural representations",
    "score-based generative models",
    "energy-based models",
    "flow matching",
    "generative adversarial networks",
    "mixture-of-experts models",
    "reduced-order models",
    "proper orthogonal decomposition",
    "cluster expansions",
    "machine-learned interatomic potentials",
    "moment tensor potentials",
    "attention-based sequence models",
    "Bayesian hierarchical models",
    "sequential Monte Carlo",
    "stochastic variational inference",
    "Laplace approximations",
    "information-geometric methods",
    "renormalisation-group inspired networks",
    "cellular automata",
    "agent-based models",
    "lattice Boltzmann surrogates",
]

SYSTEMS = [
    "two-dimensional turbulence",
    "Rayleigh-Bénard convection",
    "spin glasses",
    "the two-dimensional Ising model",
    "frustrated magnets",
    "Kitaev materials",
    "high-entropy alloys",
    "metal-organic frameworks",
    "perovskite solar cells",
    "lithium battery cathodes",
    "solid electrolytes",
    "amorphous silicon",
    "liquid water",
    "supercooled liquids",
    "colloidal suspensions",
    "active nematics",
    "bacterial swarms",
    "protein folding landscapes",
    "intrinsically disordered proteins",
    "lipid membranes",
    "chromatin organisation",
    "cortical neuronal networks",
    "gene regulatory networks",
    "epidemic spreading",
    "urban traffic flow",
    "continental power grids",
    "limit order books",
    "granular avalanches",
    "the glass transition",
    "superconducting qubits",
    "trapped-ion processors",
    "Rydberg atom arrays",
    "ultracold Fermi gases",
    "Bose-Einstein condensates",
    "optical lattices",
    "topological insulators",
    "twisted bilayer graphene",
    "moiré heterostructures",
    "cuprate superconductors",
    "infinite-layer nickelates",
    "heavy-fermion compounds",
    "quantum spin liquids",
    "the Fermi-Hubbard model",
    "lattice gauge theories",
    "jet substructure at the LHC",
    "neutrino event reconstruction",
    "electromagnetic calorimeter showers",
    "silicon tracking detectors",
    "dark matter direct detection",
    "gravitational-wave transients",
    "binary black hole mergers",
    "pulsar timing arrays",
    "the cosmic microwave background",
    "weak lensing surveys",
    "galaxy morphology",
    "type Ia supernova light curves",
    "exoplanet transits",
    "solar flares",
    "the solar wind",
    "magnetospheric substorms",
    "tokamak disruptions",
    "laser wakefield accelerators",
    "inertial confinement fusion",
    "ocean mesoscale eddies",
    "Arctic sea ice",
    "tropical atmospheric convection",
    "heatwaves and droughts",
    "wildfire spread",
    "earthquake catalogues",
    "seismic waveforms",
    "groundwater flow in aquifers",
    "porous media",
    "fracture networks",
    "laser powder-bed fusion",
    "epitaxial thin-film growth",
    "powder X-ray diffraction patterns",
    "transmission electron micrographs",
    "atom-probe tomography",
    "inelastic neutron scattering spectra",
    "Raman spectra",
    "ARPES spectra",
    "scanning tunnelling microscopy maps",
    "solid-state NMR spectra",
    "synchrotron beamline logs",
    "free-electron laser pulses",
    "storage-ring operations",
    "transition-edge sensors",
    "photonic crystals",
    "acoustic metamaterials",
    "Kerr frequency combs",
    "optical tweezers",
    "atom interferometers",
    "optical lattice clocks",
    "nitrogen-vacancy magnetometers",
    "spin qubits in silicon",
    "Majorana nanowires",
    "entangled polymer melts",
    "block copolymer self-assembly",
    "nematic liquid crystals",
    "coarsening foams",
    "droplet microfluidics",
    "arterial blood flow",
    "cardiac arrhythmias",
    "functional brain imaging",
    "proton therapy dosimetry",
    "introductory physics laboratories",
    "undergraduate research projects",
    "online physics courses",
    "citizen-science archives",
]

TASKS = [
    "phase classification",
    "parameter estimation",
    "anomaly detection",
    "surrogate modelling",
    "inverse design",
    "uncertainty quantification",
    "closure modelling",
    "equation discovery",
    "event reconstruction",
    "denoising",
    "super-resolution",
    "long-horizon forecasting",
    "feedback control",
    "optimal experimental design",
    "data assimilation",
    "feature extraction",
    "model selection",
    "state tomography",
    "error mitigation",
    "signal extraction",
    "background rejection",
    "detector calibration",
    "fast triggering",
    "lossy compression",
    "image segmentation",
    "defect classification",
    "band-gap prediction",
    "critical-temperature prediction",
    "order-parameter identification",
    "effective Hamiltonian learning",
    "transition detection",
    "transport-coefficient estimation",
    "simulation emulation",
    "initial-condition reconstruction",
    "pulse-sequence optimisation",
    "beam-time scheduling",
    "automated grading",
    "survey analysis",
    "rare-event sampling",
    "free-energy estimation",
    "noise characterisation",
    "source localisation",
    "spectral unmixing",
    "trajectory inference",
]

QUALITIES = [
    "interpretable",
    "scalable",
    "robust",
    "data-efficient",
    "physics-constrained",
    "probabilistic",
    "uncertainty-aware",
    "real-time",
    "unsupervised",
    "semi-supervised",
    "multiscale",
    "multimodal",
    "explainable",
    "autonomous",
    "high-dimensional",
    "sparse",
    "noise-tolerant",
    "non-equilibrium",
    "low-latency",
    "energy-efficient",
    "reproducible",
    "differentiable",
    "symmetry-aware",
    "hierarchical",
    "adaptive",
    "online",
    "distributed",
    "lightweight",
    "end-to-end",
    "model-agnostic",
    "calibrated",
    "transferable",
    "rotation-equivariant",
    "memory-efficient",
    "streaming",
    "open-source",
]

BASELINES = [
    "density functional theory",
    "classical force fields",
    "hand-tuned selection cuts",
    "standard Metropolis sampling",
    "linear regression",
    "the existing reconstruction chain",
    "expert annotation",
    "finite-element solvers",
    "direct numerical simulation",
    "grid search",
    "template fitting",
    "matched filtering",
    "mean-field theory",
    "exact diagonalisation",
    "perturbation theory",
    "the Kalman filter",
    "rule-based alarms",
    "Fourier analysis",
    "least-squares fitting",
    "manual tuning",
]

SOURCES = [
    "molecular dynamics trajectories",
    "experimental runs",
    "archival observations",
    "public catalogues",
    "collision events",
    "synthetic images",
    "high-throughput calculations",
    "operator logbooks",
    "student submissions",
    "questionnaire responses",
    "time-resolved measurements",
    "reanalysis fields",
    "sensor streams",
    "lattice configurations",
    "quantum measurement snapshots",
    "spectra",
    "micrographs",
    "light curves",
    "waveforms",
    "simulated events",
    "field recordings",
]

QUANTITIES = [
    "correlation length",
    "critical exponent",
    "energy per atom",
    "formation energy",
    "band gap",
    "drag coefficient",
    "Nusselt number",
    "spectral index",
    "reconstruction efficiency",
    "false-positive rate",
    "mean absolute error",
    "state fidelity",
    "coherence time",
    "order parameter",
    "static structure factor",
    "heat flux",
    "diffusion constant",
    "shear viscosity",
    "growth rate",
    "largest Lyapunov exponent",
    "entanglement entropy",
    "magnetisation",
    "conductivity",
    "signal-to-noise ratio",
    "timing resolution",
    "learning gain",
]

OUTCOMES = [
    "outperforms",
    "matches",
    "improves on",
    "is competitive with",
    "is more stable than",
    "needs far fewer samples than",
    "runs orders of magnitude faster than",
    "generalises better than",
    "is better calibrated than",
]

FIELDS = [
    "condensed matter physics",
    "particle physics",
    "astrophysics",
    "plasma physics",
    "fluid dynamics",
    "biological physics",
    "materials science",
    "quantum information",
    "atomic physics",
    "geophysics",
    "climate science",
    "accelerator physics",
    "physics education",
    "soft matter",
    "statistical physics",
    "nuclear physics",
]

FACILITIES = [
    "a national laboratory",
    "a university cluster",
    "the open science grid",
    "a tier-2 centre",
    "a commercial cloud",
    "an exascale machine",
    "a single workstation",
    "an edge device",
    "a shared GPU node",
    "the experiment's trigger farm",
]

SYLLABLES = [
    "qu",
    "an",
    "ta",
    "fl",
    "ow",
    "ne",
    "mo",
    "ri",
    "ka",
    "zo",
    "lu",
    "vi",
    "pt",
    "ix",
    "or",
    "be",
    "th",
    "sy",
    "re",
    "gr",
    "ad",
    "el",
    "om",
    "ph",
    "io",
    "ca",
    "st",
    "um",
]

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
