"""The schema of ``client.yaml``, declared as pydantic models.

The checking is pydantic's; `toolkit.intake` turns its errors into `Problem`s
whose column is the key path (``kpis[2].target``).
"""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from toolkit.rules import MIN_GROUP_SIZE, MIN_QUOTE_GROUP, WAVE_ID
from toolkit.run.limits import Limits

AreaId = Literal["customer_experience", "management_style", "unique_capabilities", "proven_processes"]
CustomerPromise = Literal["personalized", "speed", "value", "innovation"]
ManagementStyle = Literal["collaborative", "autonomous", "accountability"]


class _Strict(BaseModel):
    # A misspelt key is an error, not silently ignored.
    model_config = ConfigDict(extra="forbid", frozen=True)


class KpiDefinition(_Strict):
    """One operations KPI, mapped to an area with a strategic target."""

    id: str = Field(min_length=1, pattern=r"^[a-z0-9_]+$")
    name: str = Field(min_length=1)
    area: AreaId
    better: Literal["higher", "lower"]
    target: float
    unit: str = ""


class Privacy(_Strict):
    """Confidentiality thresholds (DESIGN 2.2)."""

    min_group_size: int = Field(default=MIN_GROUP_SIZE, ge=2)
    min_quote_group: int = Field(default=MIN_QUOTE_GROUP, ge=2)


class ComponentWeights(_Strict):
    """Weights of perception, consistency and evidence within an area's alignment score."""

    perception: float = Field(default=0.50, ge=0)
    consistency: float = Field(default=0.25, ge=0)
    evidence: float = Field(default=0.25, ge=0)

    @model_validator(mode="after")
    def _not_all_zero(self) -> ComponentWeights:
        if self.perception + self.consistency + self.evidence <= 0:
            raise ValueError("component weights are all zero; at least one must be positive")
        return self


class AssessmentWindow(_Strict):
    """Which operations periods count as evidence (inclusive; default: all of them)."""

    start: str | None = None
    end: str | None = None


class AreaWeights(_Strict):
    """The client's strategic weight of each area (any non-negative scale)."""

    customer_experience: float = Field(default=1.0, ge=0)
    management_style: float = Field(default=1.0, ge=0)
    unique_capabilities: float = Field(default=1.0, ge=0)
    proven_processes: float = Field(default=1.0, ge=0)

    @model_validator(mode="after")
    def _not_all_zero(self) -> AreaWeights:
        if sum(self.as_dict().values()) <= 0:
            raise ValueError("area weights are all zero; at least one must be positive")
        return self

    def as_dict(self) -> dict[str, float]:
        """Return ``{area_id: weight}`` in the method's area order."""
        return {k: float(getattr(self, k)) for k in type(self).model_fields}


class ClientConfig(_Strict):
    """A client's ``client.yaml``: who they are, their strategy and how to score them."""

    name: str = Field(min_length=1)
    wave: str = Field(min_length=1, pattern=WAVE_ID)
    sector: str = ""
    strategy: str = Field(min_length=1)
    customer_promise: CustomerPromise
    management_style: ManagementStyle
    unique_capabilities: list[str] = Field(default_factory=list)
    area_weights: AreaWeights = Field(default_factory=AreaWeights)
    kpis: list[KpiDefinition] = Field(default_factory=list)
    privacy: Privacy = Field(default_factory=Privacy)
    component_weights: ComponentWeights = Field(default_factory=ComponentWeights)
    assessment_window: AssessmentWindow = Field(default_factory=AssessmentWindow)
    min_consistency_group: int = Field(default=10, ge=2)  # DESIGN 2.1: subgroup C only from this many
    limits: Limits = Field(default_factory=Limits)  # intake size limits (toolkit.run.limits)

    @field_validator("kpis")
    @classmethod
    def _unique_kpi_ids(cls, kpis: list[KpiDefinition]) -> list[KpiDefinition]:
        seen: set[str] = set()
        for k in kpis:
            if k.id in seen:
                raise ValueError(f"KPI id {k.id!r} is defined twice")
            seen.add(k.id)
        return kpis
