"""Figures placed in an article's body by name: `![fig:name]` on a line of its own."""

from gds_portal.markdown import render_citing_markdown


def figure_names_in(body: str) -> set[str]:
    """The figure names `body` places, found by the renderer itself (so a name inside a
    code block, which readers see as code, does not count)."""
    return set(render_citing_markdown(body, reference_count=0, figures={}).missing_figures)


def missing_figures_error(names: set[str]) -> str:
    """The message for figure names with no figure behind them; "" when there are none."""
    if not names:
        return ""
    listed = ", ".join(f"“{name}”" for name in sorted(names))
    return (
        f"The body places figures that this article does not have: {listed}. "
        "Add them under Figures (the name is the figure's name), or correct the body."
    )
