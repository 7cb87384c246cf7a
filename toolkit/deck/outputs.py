"""What one notebook run writes besides the deck: ``summary.json`` and, when asked, ``deck.pptx``.

Kept out of `toolkit.story` so that the story knows no renderer.
"""
from __future__ import annotations

from pathlib import Path

from toolkit.story import Story


def save_outputs(story: Story, output_dir: str | Path, *, formats: str = "html") -> list[Path]:
    """Write ``summary.json`` (and ``deck.pptx`` when ``formats`` names it) into ``output_dir``.

    Nothing is written when ``output_dir`` is empty (a consultant running the
    notebook by hand). The linked-table audit runs again on the final summary
    first (`toolkit.privacy.final.assert_publishable`): a group it can pin
    stops the run (`PublicationBlocked`), naming the group, never its value. Schema validation of the summary is left to
    `toolkit.report`, which checks the file before publishing it.

    Returns
    -------
    list of Path
        The files written.
    """
    from toolkit.summary import write_summary

    if not output_dir:
        return []
    from toolkit.privacy.final import assert_publishable

    assert_publishable(story.summary, story.client)  # the audit again, on the final figures (DESIGN 2.2)
    folder = Path(output_dir)
    written = [write_summary(story.summary, folder / "summary.json", validate=False)]
    if "pptx" in [f.strip() for f in formats.split(",")]:
        from toolkit.pptx import build_pptx

        written.append(build_pptx(story, folder / "deck.pptx"))
    return written
