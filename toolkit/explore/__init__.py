"""The consultant's interactive explorer (ipywidgets) over the same metrics, privacy and plots as the deck.

>>> from toolkit.explore import Explorer     # doctest: +SKIP
>>> Explorer.open("../client_data")          # doctest: +SKIP
"""
from toolkit.explore.engine import ExploreEngine, View, group_hidden_reason
from toolkit.explore.export import export_view, scenario_dict
from toolkit.explore.scenario import Filters, Weights, filter_client, reweight
from toolkit.explore.widgets import Explorer

__all__ = ["Explorer", "ExploreEngine", "Filters", "View", "Weights", "export_view", "filter_client",
           "group_hidden_reason", "reweight", "scenario_dict"]
