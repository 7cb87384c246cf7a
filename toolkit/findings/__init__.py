"""Findings: playbook rules -> ranked recommendations and narrative sentences."""
from toolkit.findings.build import Findings, build_findings
from toolkit.findings.narrative import Cost
from toolkit.findings.playbook import Playbook, evaluate, load_playbook, parse_playbook

__all__ = ["Cost", "Findings", "Playbook", "build_findings", "evaluate", "load_playbook", "parse_playbook"]
