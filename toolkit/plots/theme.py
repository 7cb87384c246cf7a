"""The house look: one theme context, the colour-blind-safe palette and the band colours.

Theming lives here and only here (as in seaborn's ``rcmod``). Chart functions
never touch global rcParams; wrap them in `theme` to get the house look::

    with theme():
        fig, ax = plt.subplots()
        plot_scorecard(assessment.areas, ax=ax)

Colours come from the Okabe & Ito (2008) palette, which stays distinct under
the common forms of colour blindness. Bands use its bluish green, orange and
vermillion for green / amber / red.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any, cast

import matplotlib as mpl
from cycler import cycler
from matplotlib.colors import LinearSegmentedColormap

from toolkit.metrics.alignment import BANDS as METRIC_BANDS
from toolkit.metrics.alignment import band as metric_band

# --- palette -----------------------------------------------------------------
OKABE_ITO: dict[str, str] = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "black": "#000000",
}
#: Category colours in the order a chart hands them out (yellow last: weak on white).
CATEGORY_COLORS: tuple[str, ...] = (
    OKABE_ITO["blue"], OKABE_ITO["orange"], OKABE_ITO["bluish_green"],
    OKABE_ITO["reddish_purple"], OKABE_ITO["sky_blue"], OKABE_ITO["vermillion"],
    OKABE_ITO["black"], OKABE_ITO["yellow"],
)
GREY = "#8C8C8C"        # neutral marks: previous wave, non-significant change, tracks
LIGHT_GREY = "#E6E6E6"  # backgrounds: tracks, suppressed cells
TEXT_COLOR = "#222222"

# --- bands (DESIGN 2.1: >= 75 aligned, 60-74.9 partly aligned, < 60 misaligned) ----
# Thresholds and names come from toolkit.metrics.alignment.BANDS, their single definition.
ALIGNED_MIN, BAND_ALIGNED = METRIC_BANDS[0]
PARTLY_MIN, BAND_PARTLY = METRIC_BANDS[1]
BAND_MISALIGNED = METRIC_BANDS[2][1]
BANDS: tuple[str, ...] = (BAND_ALIGNED, BAND_PARTLY, BAND_MISALIGNED)
BAND_COLORS: dict[str, str] = {
    BAND_ALIGNED: OKABE_ITO["bluish_green"],   # green
    BAND_PARTLY: OKABE_ITO["orange"],          # amber
    BAND_MISALIGNED: OKABE_ITO["vermillion"],  # red
}
_BAND_ALIASES: dict[str, str] = {
    "aligned": BAND_ALIGNED, "green": BAND_ALIGNED,
    "partly aligned": BAND_PARTLY, "partially aligned": BAND_PARTLY, "partly": BAND_PARTLY,
    "amber": BAND_PARTLY,
    "misaligned": BAND_MISALIGNED, "not aligned": BAND_MISALIGNED, "red": BAND_MISALIGNED,
}

#: Diverging map for 0-100 scores, stepped at the band thresholds: reds below 60
#: (darker the lower), pale amber across the 60-75 "partly aligned" band, greens from 75.
SCORE_CMAP = LinearSegmentedColormap.from_list("alignment_score", [
    (0.00, "#7A2C00"),
    (0.35, OKABE_ITO["vermillion"]),
    (0.5999, "#F4BE9A"),
    (0.60, "#FCEBC2"),
    (0.7499, "#F8D98E"),
    (0.75, "#BEE4D5"),
    (0.90, OKABE_ITO["bluish_green"]),
    (1.00, "#005A40"),
], N=1024)

# --- rc settings for a 16:9 slide read from the back of a room ---------------
SLIDE_SIZE = (13.33, 7.5)
HOUSE_RC: dict[str, Any] = {
    "figure.figsize": SLIDE_SIZE,
    "figure.dpi": 100,
    "figure.facecolor": "white",
    "figure.constrained_layout.use": True,
    "savefig.dpi": 150,
    "savefig.facecolor": "white",
    "svg.hashsalt": "operational-alignment",  # fixed ids in SVG charts: the same data draws the same bytes
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": 16,
    "text.color": TEXT_COLOR,
    "axes.titlesize": 22,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.titlepad": 14,
    "axes.labelsize": 17,
    "axes.labelcolor": TEXT_COLOR,
    "axes.edgecolor": "#555555",
    "axes.linewidth": 1.0,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": False,
    "axes.prop_cycle": cycler(color=list(CATEGORY_COLORS)),
    "xtick.labelsize": 15,
    "ytick.labelsize": 15,
    "xtick.color": "#444444",
    "ytick.color": "#444444",
    "legend.fontsize": 14,
    "legend.frameon": False,
    "lines.linewidth": 2.5,
    "lines.markersize": 10,
    "hatch.color": "#9A9A9A",
    "hatch.linewidth": 1.0,
    # Client text (names, questions, KPIs) is drawn as written: "$10% ... $5%" is money,
    # not mathtext (which would garble it or raise ParseException mid-deck).
    "text.parse_math": False,
}


@contextmanager
def theme(rc: Mapping[str, Any] | None = None) -> Iterator[None]:
    """Apply the house style inside a ``with`` block; global rcParams are restored after.

    Parameters
    ----------
    rc
        Extra rcParams laid over the house settings (e.g. ``{"font.size": 12}``).

    Examples
    --------
    >>> import matplotlib as mpl
    >>> before = mpl.rcParams["font.size"]
    >>> with theme():
    ...     mpl.rcParams["font.size"]
    16.0
    >>> mpl.rcParams["font.size"] == before
    True
    """
    settings = dict(HOUSE_RC)
    if rc:
        settings.update(rc)
    # matplotlib's stubs key rc_context by a Literal of known rc names; matplotlib validates ours at runtime
    with mpl.rc_context(cast(Any, settings)):
        yield


def normalise_band(band: object) -> str:
    """Return the canonical band name (``aligned``, ``partly aligned``, ``misaligned``).

    Accepts the spellings metrics may use: any case, ``_`` or ``-`` for spaces,
    and ``green``/``amber``/``red``.

    Raises
    ------
    ValueError
        When the value names no band.
    """
    key = str(band).strip().lower().replace("_", " ").replace("-", " ")
    try:
        return _BAND_ALIASES[key]
    except KeyError:
        raise ValueError(f"band {band!r} is not one of {list(BANDS)}") from None


def band_of(value: float) -> str | None:
    """Return the band of a 0-100 score, or None for a missing (NaN) score.

    The thresholds are `toolkit.metrics.alignment.band`'s, the single definition.

    Examples
    --------
    >>> band_of(75.0), band_of(74.9), band_of(59.99), band_of(float("nan"))
    ('aligned', 'partly aligned', 'misaligned', None)
    """
    if value is None:
        return None
    return metric_band(float(value)) or None


def band_color(band: str) -> str:
    """Return the hex colour of a band (any spelling `normalise_band` accepts)."""
    return BAND_COLORS[normalise_band(band)]
