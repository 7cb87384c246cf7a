"""The shipped demo clients, each with one planted story (see ``client_data/README.md``).

- ``harbor-concierge``: personalised concierge; the Dubai Desk's customer
  experience is far lower and far less consistent than the other desks';
  unique capabilities are strong. Tidy ``interviews.csv``; no management-style KPI.
- ``swiftmart``: speed-and-convenience retailer; executives rate management
  style far above the frontline (a leadership blind spot); processes are fine.
  Wide ``interviews.csv``; one excerpt carries ``<script>`` markup.
- ``northwind-logistics``: process-heavy operator with two waves; proven
  processes improved clearly since ``2025-h1``; Customs Brokerage has only two
  respondents (must be suppressed). Current wave in ``interviews.xlsx``.
"""
from __future__ import annotations

from pathlib import Path

from toolkit.demo.files import write_client
from toolkit.demo.generate import AreaSpec, ClientSpec, DeptSpec, KpiSpec, WaveSpec

_EXEC_OPTIMISM = {"executive": 0.15, "manager": 0.05, "frontline": -0.05}


def harbor_concierge() -> ClientSpec:
    """Concierge firm: Dubai Desk's CX low and inconsistent; strong unique capabilities."""
    desks = ("London Desk", "New York Desk", "Singapore Desk", "Dubai Desk")
    departments = (
        DeptSpec("London Desk", 1, 2, 6), DeptSpec("New York Desk", 1, 2, 6),
        DeptSpec("Singapore Desk", 1, 2, 5), DeptSpec("Dubai Desk", 1, 2, 5),
        DeptSpec("Partner Relations", 1, 2, 3),
    )
    areas = {
        "customer_experience": AreaSpec(mean=4.0, person_sd=0.3, item_sd=0.45,
                                        dept_shift={"Dubai Desk": -1.4},
                                        dept_person_sd={"Dubai Desk": 0.8},
                                        dept_item_sd={"Dubai Desk": 1.1},
                                        level_shift=_EXEC_OPTIMISM),
        "management_style": AreaSpec(mean=3.4, person_sd=0.45, item_sd=0.6, level_shift=_EXEC_OPTIMISM),
        "unique_capabilities": AreaSpec(mean=4.3, person_sd=0.25, item_sd=0.4),
        "proven_processes": AreaSpec(mean=3.1, person_sd=0.5, item_sd=0.7),
    }
    kpis = (
        KpiSpec("guest_satisfaction", "Guest satisfaction", "customer_experience", "higher", 85.0, "score",
                mean=88.0, dept_sd=1.0, noise_sd=2.0, departments=desks,
                dept_shift={"Dubai Desk": -16.0}, dept_noise={"Dubai Desk": 3.0}),
        KpiSpec("request_turnaround", "Request turnaround", "customer_experience", "lower", 4.0, "hours",
                mean=3.4, dept_sd=0.2, noise_sd=0.4, departments=desks,
                dept_shift={"Dubai Desk": 2.6}, dept_noise={"Dubai Desk": 3.0}, decimals=2),
        KpiSpec("signature_service_share", "Requests using signature services", "unique_capabilities",
                "higher", 40.0, "%", mean=47.0, dept_sd=2.0, noise_sd=3.0, bounds=(0.0, 100.0)),
        KpiSpec("sop_compliance", "Service procedure compliance", "proven_processes", "higher", 90.0, "%",
                mean=86.0, dept_sd=3.0, noise_sd=3.0, bounds=(0.0, 100.0)),
    )
    wave = WaveSpec("2026-h1", departments, areas, first_period="2025-07", interviews="tidy",
                    n_excerpts=26)
    return ClientSpec(
        client_id="harbor-concierge", name="Harbor Concierge", sector="Premium concierge services",
        strategy="Win and keep high-net-worth members by anticipating every request personally, "
                 "through one named concierge, in every city we serve.",
        customer_promise="personalized", management_style="collaborative",
        unique_capabilities=("named personal concierge", "after-hours partner network",
                             "member preference memory"),
        area_weights={"customer_experience": 0.40, "management_style": 0.15,
                      "unique_capabilities": 0.30, "proven_processes": 0.15},
        kpis=kpis, waves=(wave,),
        outcome_betas={"customer_experience": 0.60, "unique_capabilities": 0.30,
                       "management_style": 0.15, "proven_processes": 0.15},
        email_domain="harbor-concierge.example",
    )


def swiftmart() -> ClientSpec:
    """Convenience retailer: executives see a management style the frontline does not."""
    departments = (
        DeptSpec("Stores North", 1, 2, 7), DeptSpec("Stores South", 1, 2, 7),
        DeptSpec("Online", 1, 2, 5), DeptSpec("Distribution", 1, 2, 5),
        DeptSpec("Customer Care", 1, 2, 4), DeptSpec("Head Office", 3, 2, 0),
    )
    areas = {
        "customer_experience": AreaSpec(mean=3.6, person_sd=0.4, item_sd=0.6),
        "management_style": AreaSpec(mean=3.15, person_sd=0.35, item_sd=0.55,
                                     level_shift={"executive": 0.8, "manager": 0.15, "frontline": -0.45}),
        "unique_capabilities": AreaSpec(mean=3.0, person_sd=0.3, item_sd=0.7),
        "proven_processes": AreaSpec(mean=4.05, person_sd=0.3, item_sd=0.45),
    }
    stores = ("Stores North", "Stores South")
    kpis = (
        KpiSpec("order_to_door", "Order to door", "customer_experience", "lower", 45.0, "minutes",
                mean=43.0, dept_sd=2.0, noise_sd=4.0, departments=("Online",) + stores),
        KpiSpec("checkout_wait", "Checkout wait", "customer_experience", "lower", 3.0, "minutes",
                mean=2.8, dept_sd=0.3, noise_sd=0.4, departments=stores, decimals=2),
        KpiSpec("staff_turnover", "Monthly staff turnover", "management_style", "lower", 3.0, "%",
                mean=3.4, dept_sd=0.4, noise_sd=0.4, dept_shift={"Head Office": -1.6}, decimals=2),
        KpiSpec("stockout_rate", "Stock-out rate", "proven_processes", "lower", 2.0, "%",
                mean=1.6, dept_sd=0.2, noise_sd=0.3, departments=stores + ("Distribution",), decimals=2),
        KpiSpec("pick_accuracy", "Pick accuracy", "proven_processes", "higher", 99.0, "%",
                mean=99.3, dept_sd=0.1, noise_sd=0.3, departments=("Distribution", "Online"),
                decimals=2, bounds=(0.0, 100.0)),
        KpiSpec("own_label_share", "Own-label share of sales", "unique_capabilities", "higher", 25.0, "%",
                mean=21.0, dept_sd=2.0, noise_sd=1.5, departments=("Online",) + stores, bounds=(0.0, 100.0)),
    )
    wave = WaveSpec("2026-h1", departments, areas, first_period="2025-01", n_periods=18,
                    interviews="wide", n_excerpts=30, markup=True)
    return ClientSpec(
        client_id="swiftmart", name="SwiftMart", sector="Convenience retail",
        strategy="Be the fastest, easiest way to get everyday essentials: in and out of a store in "
                 "five minutes, or at your door within the hour.",
        customer_promise="speed", management_style="autonomous",
        unique_capabilities=("one-hour delivery network", "dense store footprint"),
        area_weights={"customer_experience": 0.35, "management_style": 0.20,
                      "unique_capabilities": 0.15, "proven_processes": 0.30},
        kpis=kpis, waves=(wave,),
        outcome_betas={"customer_experience": 0.40, "management_style": 0.50,
                       "proven_processes": 0.25, "unique_capabilities": 0.05},
        email_domain="swiftmart.example",
    )


def northwind_logistics() -> ClientSpec:
    """Logistics operator: processes improved between waves; a two-person department.

    Secondary, also planted: unique capabilities slip a little (standardising everything
    blurs what made the firm different).
    """
    def departments(customs: int) -> tuple[DeptSpec, ...]:
        return (
            DeptSpec("Linehaul", 1, 2, 7), DeptSpec("Warehousing", 1, 2, 7),
            DeptSpec("Fleet Maintenance", 1, 2, 5), DeptSpec("Customer Service", 1, 2, 4),
            DeptSpec("Finance", 1, 2, 2), DeptSpec("Customs Brokerage", 0, 1, customs - 1),
        )

    def areas(pp_mean: float, pp_item_sd: float, uc_mean: float) -> dict[str, AreaSpec]:
        return {
            "customer_experience": AreaSpec(mean=3.3, person_sd=0.35, item_sd=0.6),
            "management_style": AreaSpec(mean=3.5, person_sd=0.35, item_sd=0.55),
            "unique_capabilities": AreaSpec(mean=uc_mean, person_sd=0.35, item_sd=0.7),
            "proven_processes": AreaSpec(mean=pp_mean, person_sd=0.5, item_sd=pp_item_sd),
        }

    hubs = ("Linehaul", "Warehousing")
    kpis = (
        KpiSpec("on_time_delivery", "On-time delivery", "proven_processes", "higher", 95.0, "%",
                mean=96.0, dept_sd=0.8, noise_sd=1.2, departments=hubs, bounds=(0.0, 100.0)),
        KpiSpec("order_error_rate", "Order error rate", "proven_processes", "lower", 1.0, "%",
                mean=0.85, dept_sd=0.1, noise_sd=0.15, departments=("Warehousing", "Customer Service"),
                decimals=2),
        KpiSpec("vehicle_uptime", "Vehicle uptime", "proven_processes", "higher", 97.0, "%",
                mean=97.6, dept_sd=0.2, noise_sd=0.6, departments=("Fleet Maintenance",), bounds=(0.0, 100.0)),
        KpiSpec("complaint_rate", "Complaints per 1,000 shipments", "customer_experience", "lower", 0.5, "per 1,000",
                mean=0.42, dept_sd=0.03, noise_sd=0.06, departments=("Customer Service",) + hubs, decimals=2),
        KpiSpec("overtime_hours", "Overtime per FTE", "management_style", "lower", 6.0, "hours/month",
                mean=5.8, dept_sd=1.0, noise_sd=1.0),
    )
    before = {"on_time_delivery": -6.0, "order_error_rate": 0.9, "vehicle_uptime": -3.0}
    earlier = WaveSpec("2025-h1", departments(4), areas(2.85, 0.9, 3.0), first_period="2024-07",
                       interviews="wide", n_excerpts=20, kpi_shift=before)
    current = WaveSpec("2026-h1", departments(2), areas(3.95, 0.5, 2.85), first_period="2025-07",
                       interviews="xlsx", n_excerpts=26)
    return ClientSpec(
        client_id="northwind-logistics", name="Northwind Logistics", sector="Freight and contract logistics",
        strategy="Deliver the most reliable freight service in the region by running every depot "
                 "on the same proven, measured processes.",
        customer_promise="value", management_style="accountability",
        unique_capabilities=("depot operating system", "cross-dock network"),
        area_weights={"customer_experience": 0.20, "management_style": 0.20,
                      "unique_capabilities": 0.15, "proven_processes": 0.45},
        kpis=kpis, waves=(earlier, current),
        outcome_betas={"proven_processes": 0.60, "customer_experience": 0.30,
                       "management_style": 0.25, "unique_capabilities": 0.05},
        email_domain="northwind-logistics.example",
    )


DEMO_CLIENTS = (harbor_concierge, swiftmart, northwind_logistics)


def write_demo_clients(out_dir: Path, *, seed: int = 2026) -> list[Path]:
    """Write the shipped demo clients into ``out_dir`` (one folder each).

    Parameters
    ----------
    out_dir
        Usually ``client_data/``; created if missing. Files of the demo clients
        are replaced; other folders are left alone.
    seed
        The shipped files are ``seed=2026``; the same seed gives byte-identical files.

    Returns
    -------
    list of Path
        The client folders, in the order harbor-concierge, swiftmart, northwind-logistics.

    Examples
    --------
    >>> [p.name for p in write_demo_clients(tmp)]  # doctest: +SKIP
    ['harbor-concierge', 'swiftmart', 'northwind-logistics']
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    return [write_client(make(), out_dir, seed=seed) for make in DEMO_CLIENTS]
