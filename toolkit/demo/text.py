"""Word lists for synthetic clients: excerpt templates, people's names, company names.

Templates are consultant-style interview notes and verbatim quotes. Each is
keyed by area and *tone* (``"positive"`` or ``"negative"``, chosen from the
respondent's latent alignment in that area) and carries a theme. Placeholders:
``{dept}``, ``{promise}``, ``{style}``, ``{capability}``, ``{company}``,
``{name}``, ``{email}``, ``{phone}``.
"""
from __future__ import annotations

# (theme, text) by area and tone.
EXCERPT_TEMPLATES: dict[str, dict[str, tuple[tuple[str, str], ...]]] = {
    "customer_experience": {
        "positive": (
            ("customer promise", '"Everyone here can tell you what \'{promise}\' means for the customer, and we hold each other to it."'),
            ("service consistency", "Observed two {dept} shifts handling the same request type; the customer got the same answer both times."),
            ("empowerment", '"I can fix most things for a customer on the spot. I only escalate when money is involved."'),
            ("voice of the customer", "Team reviews customer feedback every Monday and could name the last change it led to."),
        ),
        "negative": (
            ("service consistency", '"It depends who picks up the phone. Some of us go the extra mile, some just log a ticket."'),
            ("customer promise", "Respondent could not say what '{promise}' means in practice; described it as 'a marketing line'."),
            ("targets vs promise", '"Our targets are about volume. If I spend time on a customer I get flagged in the weekly report."'),
            ("handoffs", "Customers chase {dept} for cross-team issues; no owner once a case leaves the first team."),
        ),
    },
    "management_style": {
        "positive": (
            ("decision rights", '"I know which calls are mine to make. My manager backs me when I make them."'),
            ("feedback", "Regular one-to-ones in {dept}; respondent described feedback that matches the {style} model leadership talks about."),
            ("role modelling", '"Leadership behaves the way they ask us to behave. That is rare."'),
        ),
        "negative": (
            ("say-do gap", '"The slides say {style}. In the room it is whoever shouts loudest."'),
            ("decision rights", "Decisions in {dept} bounce up two levels even when the policy says they sit with team leads."),
            ("manager lottery", '"Whether you are trusted depends entirely on which manager you got."'),
            ("feedback", "Respondent had not had a performance conversation in over a year; learned about priorities from e-mails."),
        ),
    },
    "unique_capabilities": {
        "positive": (
            ("differentiation", '"Our {capability} is the reason customers stay. Nobody else does it like we do."'),
            ("onboarding", "New joiners in {dept} shadow for two weeks specifically on the {capability}; respondent called it 'the real induction'."),
            ("investment", '"When budgets are cut, the {capability} is the last thing they touch. That tells you what matters."'),
        ),
        "negative": (
            ("key-person risk", '"If two people left tomorrow we would lose most of what makes us different."'),
            ("differentiation", "Respondent could not name anything the firm does better than competitors beyond price."),
            ("imitability", '"Honestly, a competitor could copy what we do in six months."'),
            ("uneven application", "The {capability} is strong in some teams but barely visible in {dept}, per respondent."),
        ),
    },
    "proven_processes": {
        "positive": (
            ("documentation", '"Everything I need is in the process library, and it is up to date."'),
            ("repeatability", "Watched a new starter in {dept} complete the standard workflow without help; same result as the veteran next to her."),
            ("change management", '"When a process changes we get a briefing and a short training. No surprises."'),
        ),
        "negative": (
            ("workarounds", '"The official process takes three days, so we all use the spreadsheet instead."'),
            ("documentation", "Process documents in {dept} last updated years ago; respondent relies on asking colleagues."),
            ("scalability", '"Peak season breaks us every year. We survive on overtime, not on the process."'),
            ("local variants", "Each team in {dept} runs its own version of the same intake step; no one owns the standard."),
        ),
    },
}

# Templates that give redaction work: they mention a roster name, an e-mail or a phone number.
NAME_TEMPLATES: tuple[tuple[str, str, str], ...] = (
    ("unique_capabilities", "key-person risk", '"Ask {name}. Nobody else knows how the {dept} exceptions really work."'),
    ("management_style", "decision rights", "Every exception goes through {name} personally, so work stops when {name} is on leave."),
    ("customer_experience", "service consistency", '"Customers ask for {name} by name because they know they will get it sorted."'),
    ("proven_processes", "documentation", "The only current copy of the {dept} checklist is on {name}'s laptop."),
)
EMAIL_TEMPLATES: tuple[tuple[str, str, str], ...] = (
    ("customer_experience", "handoffs", "Escalations go to {email} and usually sit there for a week, per respondent."),
    ("proven_processes", "documentation", "Respondent offered to send the process map afterwards from {email}."),
)
PHONE_TEMPLATES: tuple[tuple[str, str, str], ...] = (
    ("management_style", "feedback", '"If you want the real story call me on {phone}, not through my manager."'),
    ("customer_experience", "handoffs", "Out-of-hours issues go to a personal mobile, {phone}, rather than the rota."),
)
# Planted in one demo client only, to prove that client text is escaped before it reaches HTML.
MARKUP_TEMPLATE: tuple[str, str, str] = (
    "customer_experience", "voice of the customer",
    "A customer comment pasted into the {dept} dashboard read <script>alert(1)</script> and nobody noticed for a week.",
)

FIRST_NAMES: tuple[str, ...] = (
    "Amara", "Bilal", "Chiara", "Dmitri", "Elena", "Farah", "Gustav", "Hana", "Imran", "Jonas",
    "Keiko", "Lars", "Mariam", "Nikhil", "Olga", "Pedro", "Rania", "Soren", "Tomasz", "Ursula",
    "Viktor", "Wen", "Yusuf", "Zofia",
)
LAST_NAMES: tuple[str, ...] = (
    "Abara", "Bergstrom", "Castellano", "Dimitriou", "Eklund", "Fontaine", "Grewal", "Hartmann",
    "Ishikawa", "Jovanovic", "Kowalczyk", "Lindqvist", "Moreau", "Nakamura", "Okafor", "Petrov",
    "Quintero", "Rahimi", "Salazar", "Takahashi", "Umarov", "Varga", "Whitlock", "Zeller",
)

# Portfolio vocabulary: company names and the departments typical of each sector.
COMPANY_WORDS: tuple[str, ...] = (
    "Acorn", "Beacon", "Cedar", "Delta", "Ember", "Fjord", "Granite", "Iris", "Juniper",
    "Kestrel", "Lumen", "Meridian", "Nimbus", "Orchard", "Pioneer", "Quarry", "Riverside",
    "Summit", "Tundra", "Upland", "Vantage", "Willow", "Zenith",
)
SECTOR_DEPARTMENTS: dict[str, tuple[str, ...]] = {
    "Foods": ("Production", "Quality", "Sales", "Distribution", "Customer Service", "Procurement"),
    "Health": ("Outpatients", "Nursing", "Diagnostics", "Patient Services", "Pharmacy", "Administration"),
    "Bank": ("Retail Branches", "Contact Centre", "Lending", "Risk", "Operations", "Digital"),
    "Telecom": ("Field Engineering", "Network Operations", "Retail Stores", "Contact Centre", "Billing"),
    "Insurance": ("Claims", "Underwriting", "Broker Relations", "Contact Centre", "Finance"),
    "Hotels": ("Front Office", "Housekeeping", "Food and Beverage", "Events", "Revenue Management"),
    "Software": ("Engineering", "Customer Success", "Sales", "Support", "Product", "Implementation"),
}
