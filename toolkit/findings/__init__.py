"""Findings: typed candidate findings, the executive summary's argument, recommendations, narrative."""
from toolkit.findings.build import Findings, build_findings
from toolkit.findings.candidates import KINDS, Finding, candidate_findings
from toolkit.findings.consistency import contradictions
from toolkit.findings.narrative import Cost
from toolkit.findings.playbook import Playbook, evaluate, load_playbook, parse_playbook

__all__ = ["KINDS", "Cost", "Finding", "Findings", "Playbook", "build_findings", "candidate_findings",
           "contradictions", "evaluate", "load_playbook", "parse_playbook"]
