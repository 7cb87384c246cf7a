"""The training client: a seeded synthetic client written with `toolkit.demo`'s generator.

``larkspur-clinics`` is a network of outpatient clinics with two waves. Its
planted stories are what the course asks learners to find:

- the **principal gap** is Customer Experience (heavily weighted), although
  Unique Capabilities has the *lowest* alignment (a classic wrong answer);
- **Management Style** improved clearly since the ``2025-h1`` wave, and
  executives rate it well above the frontline (a leadership blind spot);
- **Riverside Clinic** rates Customer Experience highest of all clinics, yet
  its patient KPIs miss their targets most of the time (the capstone's twist:
  interviews and evidence disagree);
- **Pharmacy** has only two respondents: its results must be suppressed.

The data lives in ``notebooks/training/data/`` (not ``client_data/``, so batch
runs and demos never pick it up) and is regenerated with `write_training_data`.
"""
from __future__ import annotations

from pathlib import Path

from toolkit.demo.files import write_client
from toolkit.demo.generate import AreaSpec, ClientSpec, DeptSpec, KpiSpec, WaveSpec

CLIENT_ID = "larkspur-clinics"
TWIST_DEPARTMENT = "Riverside Clinic"
SMALL_DEPARTMENT = "Pharmacy"
CLINICS = ("North Clinic", "South Clinic", "Riverside Clinic")


def _departments() -> tuple[DeptSpec, ...]:
    return (
        DeptSpec("North Clinic", 1, 2, 7), DeptSpec("South Clinic", 1, 2, 7),
        DeptSpec("Riverside Clinic", 1, 2, 6), DeptSpec("Patient Contact Centre", 1, 2, 5),
        DeptSpec("Operations", 2, 2, 2), DeptSpec(SMALL_DEPARTMENT, 0, 1, 1),
    )


def _areas(ms_mean: float) -> dict[str, AreaSpec]:
    return {
        "customer_experience": AreaSpec(mean=3.5, person_sd=0.4, item_sd=0.8,
                                        dept_shift={TWIST_DEPARTMENT: 0.45, "South Clinic": -0.35}),
        "management_style": AreaSpec(mean=ms_mean, person_sd=0.4, item_sd=0.6,
                                     level_shift={"executive": 0.6, "manager": 0.1, "frontline": -0.2}),
        "unique_capabilities": AreaSpec(mean=2.95, person_sd=0.4, item_sd=0.75),
        "proven_processes": AreaSpec(mean=3.7, person_sd=0.35, item_sd=0.5),
    }


def training_spec() -> ClientSpec:
    """Return the `ClientSpec` of the training client (two waves, oldest first)."""
    kpis = (
        KpiSpec("patient_satisfaction", "Patient satisfaction", "customer_experience", "higher", 85.0, "score",
                mean=87.0, dept_sd=0.8, noise_sd=2.0, departments=CLINICS + ("Patient Contact Centre",),
                dept_shift={TWIST_DEPARTMENT: -9.0}),
        KpiSpec("appointment_wait", "Days to next appointment", "customer_experience", "lower", 5.0, "days",
                mean=4.4, dept_sd=0.2, noise_sd=0.5, departments=CLINICS,
                dept_shift={TWIST_DEPARTMENT: 2.4}, decimals=1),
        KpiSpec("staff_turnover", "Monthly staff turnover", "management_style", "lower", 2.5, "%",
                mean=2.4, dept_sd=0.3, noise_sd=0.4, decimals=2),
        KpiSpec("protocol_adherence", "Care protocol adherence", "proven_processes", "higher", 92.0, "%",
                mean=93.0, dept_sd=1.0, noise_sd=1.5, departments=CLINICS, bounds=(0.0, 100.0)),
        KpiSpec("first_call_resolution", "First-call resolution", "proven_processes", "higher", 75.0, "%",
                mean=74.0, dept_sd=1.0, noise_sd=3.0, departments=("Patient Contact Centre",),
                bounds=(0.0, 100.0)),
    )
    earlier = WaveSpec("2025-h1", _departments(), _areas(2.95), first_period="2024-07",
                       interviews="tidy", n_excerpts=18)
    current = WaveSpec("2026-h1", _departments(), _areas(3.55), first_period="2025-07",
                       interviews="wide", n_excerpts=24)
    return ClientSpec(
        client_id=CLIENT_ID, name="Larkspur Clinics", sector="Outpatient healthcare",
        strategy="Give every patient care that feels personal: the same clinician, seen within the week, "
                 "who knows their history.",
        customer_promise="personalized", management_style="collaborative",
        unique_capabilities=("continuity of clinician", "shared patient history"),
        area_weights={"customer_experience": 0.40, "management_style": 0.15,
                      "unique_capabilities": 0.15, "proven_processes": 0.30},
        kpis=kpis, waves=(earlier, current),
        outcome_betas={"customer_experience": 0.50, "management_style": 0.25,
                       "unique_capabilities": 0.10, "proven_processes": 0.20},
        email_domain="larkspur-clinics.example",
    )


def write_training_client(out_dir: Path, *, seed: int = 2026) -> Path:
    """Write the training client's folder (both waves) into ``out_dir``; return it."""
    return write_client(training_spec(), Path(out_dir), seed=seed)
