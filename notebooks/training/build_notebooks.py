"""Source of the training notebooks: edit here, then run ``python notebooks/training/build_notebooks.py``.

Each module is a list of cells. A cell is ``("md", text)``, ``("code", source)``,
``("exercise", learner_source, solution_source)`` or ``("discuss", question,
model_answer)``: the exercise notebooks (``NN-*.ipynb``) get the learner's
version, ``solutions/`` the filled-in one, so both always have the same cells.
A "discuss" question becomes three cells: the question, an empty answer cell
(tagged ``answer``) and the model answer folded in a ``<details>`` block for
self-study. Notebooks are written without outputs.
"""
from __future__ import annotations

from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
PARAMS = 'training_dir = "."  # the notebooks/training folder\nscratch_dir = ""  # where copies are made (empty: a new temporary folder)'
SETUP = "from toolkit import training\npaths = training.course_paths(training_dir)"
#: Tables show whole texts (item wordings), never "Customers get the same q..."
WIDE = 'pd.set_option("display.max_colwidth", None)'
#: The method page, relative to notebooks/training/ (`alignment course start` rewrites it for a workspace).
METHOD_LINK = "../../docs/method.md"
ANSWER_CELL = "*Your answer* (double-click this cell to write; a few sentences are enough):\n\n"

M1 = ("01-what-is-alignment", "Module 1 - What operational alignment is", [
    ("md", """# Module 1 - What operational alignment is (about 30 minutes)

A strategy is a set of choices: which customers, what promise, how the firm is led, what makes it different.
**Operational alignment** asks whether the day-to-day work carries those choices out - and does so *consistently*,
in every team and at every level. A firm can have a fine strategy and still lose because each department
delivers a different version of it.

We look at alignment through **four areas**, each a question we put to the organisation:

| area | the question |
|---|---|
| Customer Experience | does every customer interaction reflect the promise the firm chose (personal, fast, best value or innovative)? |
| Management Style | do leaders manage in the one way the firm declared (collaborative, autonomous or accountability-driven), at every level? |
| Unique Capabilities | can people name the strengths that set the firm apart, and are they applied everywhere? |
| Proven Processes | are processes documented, repeatable, followed and able to scale? |

For each area we combine three kinds of evidence: **interview ratings** (how people rate statements on a 1-5
scale), **coded interview notes and quotes**, and **operations KPIs** measured against strategic targets."""),
    ("code", PARAMS),
    ("code", SETUP),
    ("md", """## Consistency matters as much as the average

Two departments can both average 3.5 on "customers get the same quality of service whichever team they deal with",
one because everyone answers 3 or 4, the other because half answer 1 and half answer 5. The second is not
half-aligned; it is two organisations. So every area gets a **perception** score (how favourable, 0-100) and a
**consistency** score (how alike people answer, 0-100, where 0 means no more alike than random answers).

### Exercise 1.1 - the four areas
Write the four area ids the toolkit uses (snake_case, e.g. `"customer_experience"`)."""),
    ("exercise", "my_areas = ...", 'my_areas = ["customer_experience", "management_style", "unique_capabilities", "proven_processes"]'),
    ("code", 'training.check("1-areas", my_areas)'),
    ("md", """## What misalignment costs

Misalignment is not an abstract score. It shows up as three costs, and a deck must show evidence for each:
customers get a different firm depending on whom they meet; teams waste effort doing the same thing in different
ways; and what should make the firm different gets diluted until competitors can copy it.

### Exercise 1.2 - the three costs
Name the three costs in a few words each (a list of three strings)."""),
    ("exercise", "my_costs = ...", 'my_costs = ["inconsistent customer experience", "internal inefficiency", "blurred differentiation"]'),
    ("code", 'training.check("1-costs", my_costs)'),
    ("md", """## Where to start: the principal gap

Every area gets an **alignment** score `A` (perception, consistency and KPI evidence combined) and every client
weights the areas by what its strategy depends on. The **principal gap** is the area with the largest
`weight x (75 - A)` among the areas below 75 (aligned): the shortfall that costs the strategy most. It is not
always the lowest score. The whole method is on [the method page](../../docs/method.md).

### Exercise 1.3 - a fictional firm
Here is a fictional firm's table. Which area is its principal gap? (Compute it with pandas.)"""),
    ("code", "firm = training.toy_firm()\nfirm"),
    ("exercise", "my_toy_gap = ...",
     'firm["shortfall"] = firm["weight"] * (75 - firm["alignment"]).clip(lower=0)\nmy_toy_gap = firm.loc[firm["shortfall"].idxmax(), "area"]'),
    ("code", 'training.check("1-principal-gap", my_toy_gap)'),
    ("md", """## Why we assess again, in waves

Alignment drifts: leaders change, a process is bypassed, a new site opens. So the assessment is repeated in
**waves** (e.g. every six months) and the deck shows what changed since the last wave - but only changes larger
than the uncertainty of the measurement (module 4). A re-assessment is also how the client sees whether the
actions we recommended worked."""),
    ("discuss", "**Discuss** (with your trainer, or write your answer for self-study): which of the three costs would a "
                "CFO notice first, and which a customer?",
     "A **CFO** notices *internal inefficiency* first: rework, duplicated effort and handovers that go wrong show up "
     "as cost and margin. A **customer** notices the *inconsistent customer experience*: a different firm depending "
     "on the branch, team or person they meet. Neither notices *blurred differentiation* at first; it shows up "
     "later, as lost deals and price pressure, which is why the deck must make it visible with evidence."),
])

M2 = ("02-intake", "Module 2 - Intake", [
    ("md", """# Module 2 - Intake: loading, reading validation errors, fixing data, mapping a survey (about 60 minutes)

Everything starts with a client folder (`client.yaml`, interviews, operations KPIs, optional excerpts and roster).
The toolkit never guesses: bad input is reported - every problem at once, each naming the file, row, column, the
value found and what was expected. Your job is to read those reports and fix the data with the client.

**Rule:** shipped files are never edited. Work on a copy in a scratch folder."""),
    ("code", PARAMS),
    ("code", SETUP + "\nimport pandas as pd\nfrom toolkit.intake import load_client, validate_client\nfrom toolkit.model import format_problems\n" + WIDE),
    ("md", "## The training client\nLarkspur Clinics, a network of outpatient clinics. Load it and look at the tidy ratings."),
    ("code", "client = load_client(paths.client_dir)"),
    ("code", "client.ratings.head()"),
    ("code", "client.config.kpis"),
    ("md", """## A broken copy
`data/larkspur-clinics-broken/` is the same client with mistakes a real client makes. Validate it and read the report."""),
    ("code", "problems = validate_client(paths.broken_dir)"),
    ("code", "print(format_problems(problems))"),
    ("md", """### Exercise 2.1 - name the problems
Give the set of **reason codes** (the words in brackets) of the problems that are *errors* - the ones that stop a run.
Warnings do not stop a run. Use `problems` (each has `.reason` and `.severity`)."""),
    ("exercise", "my_reasons = ...", 'my_reasons = {p.reason for p in problems if p.severity == "error"}'),
    ("code", 'training.check("2-problems", my_reasons)'),
    ("md", """### Exercise 2.2 - fix it on a copy
`scratch_copy` copies the broken folder into a scratch folder. Fix **the copy** with pandas (read with `dtype=str`
so nothing is reinterpreted, fix the values, write back). Repair values; never delete a respondent or a KPI row.
Then set `fixed_dir` to the copy."""),
    ("code", "work_dir = training.scratch_copy(paths.broken_dir, scratch_dir)"),
    ("exercise", "# your pandas code here: fix work_dir / 'client.yaml', 'interviews.csv' and 'operations.csv'\nfixed_dir = ...",
     """config = (work_dir / "client.yaml").read_text(encoding="utf-8")
(work_dir / "client.yaml").write_text(config.replace("personalised", "personalized"), encoding="utf-8")
interviews = pd.read_csv(work_dir / "interviews.csv", dtype=str, keep_default_na=False)
interviews = interviews.replace({"55": "5", "44": "4", "33": "3", "22": "2", "11": "1", "Agree": "4", "Team Lead": "manager"})
interviews.to_csv(work_dir / "interviews.csv", index=False)
operations = pd.read_csv(work_dir / "operations.csv", dtype=str, keep_default_na=False)
operations["kpi_id"] = operations["kpi_id"].replace({"patient_satisfation": "patient_satisfaction"})
operations.to_csv(work_dir / "operations.csv", index=False)
fixed_dir = work_dir"""),
    ("code", 'training.check("2-fix", fixed_dir)'),
    ("md", """## A survey tool's export
Clients often send what their survey tool exports rather than our intake workbook. `data/survey_export.csv` is one:
answer labels instead of numbers, a job title instead of a level, extra columns, "Don't know" answers, an e-mail
column (identifying columns are always dropped at intake). We onboard it by writing a `mapping.yaml`, not code -
read the documentation of `toolkit.intake.mapping` (`help(toolkit.intake.mapping)`)."""),
    ("code", "export = pd.read_csv(paths.survey_export)"),
    ("code", "export.iloc[:5, :9]"),
    ("md", """### Exercise 2.3 - write the mapping
Write the mapping as a Python dict (the same keys as `mapping.yaml`): which columns to drop and rename, how labels
become 1-5, which answers mean "no answer", and how job titles become levels (directors and chiefs are executives,
managers and team leads are managers, everyone else is frontline)."""),
    ("exercise", "my_mapping = ...", """my_mapping = {"interviews": {
    "drop": ["StartDate"],
    "rename": {"ResponseId": "respondent_id", "Dept": "department"},
    "scale": {"preset": "agreement"},
    "not_applicable": ["Don't know"],
    "levels": {"column": "JobTitle", "patterns": {"director|chief": "executive", "manager|lead": "manager"},
               "default": "frontline"},
}}"""),
    ("code", 'training.check("2-mapping", my_mapping)'),
    ("discuss", "**Discuss:** the broken copy had an answer of `55`. When is it right to read it as 5, and when must "
                "you ask the client?",
     "Read it as 5 only when the client confirms the cause, e.g. every out-of-range value is a doubled digit "
     "(11, 22 ... 55) from one data-entry source, and then write the repair down (in the mapping or a fix script "
     "kept with the engagement) so it is repeatable. Otherwise ask: `55` may be a different scale (0-100), a typo "
     "for another digit, or a merged cell. The toolkit never guesses, and neither should you."),
])

M3 = ("03-scoring-by-hand", "Module 3 - Scoring by hand", [
    ("md", """# Module 3 - Scoring by hand (60-90 minutes)

You will compute Customer Experience's numbers yourself with pandas, then compare with the toolkit. The method
(the whole of it is on [the method page](../../docs/method.md)), in short:

- ratings are 1-5; **reverse-keyed** items (negatively worded, `reverse = True`) are recoded `6 - rating`;
- **perception** `P = 100 * (mean of respondent means - 1) / 4`, each respondent's mean over the area's items they rated;
- **favourable** `F` = % of the area's ratings that are 4 or 5;
- **consistency** `C = 100 * mean over items of max(0, 1 - s^2 / 2)`: the item-level r_wg, with `s^2` the item's
  *sample* variance and `2 = (5^2 - 1) / 12` the variance of random answering on 5 points;
- **evidence** `E` = for each KPI of the area, the share of (department, period) observations meeting target
  (`<=` when lower is better, `>=` when higher is better); `E` = 100 x the mean of those shares."""),
    ("code", PARAMS),
    ("code", SETUP + "\nimport pandas as pd\nfrom toolkit.intake import load_client\nfrom toolkit.metrics import assess\n" + WIDE),
    ("code", "client = load_client(paths.client_dir)"),
    ("code", "ratings = client.ratings\nquestions = client.questions"),
    ("code", 'questions[questions["area"] == "customer_experience"]'),
    ("md", """### Exercise 3.1 - perception
Join `ratings` with `questions`, keep Customer Experience, reverse-key, and compute `P` in points."""),
    ("exercise", "my_perception = ...", """cx = ratings.merge(questions[["question_id", "area", "reverse"]], on="question_id")
cx = cx[cx["area"] == "customer_experience"].copy()
cx["keyed"] = cx["rating"].where(~cx["reverse"], 6 - cx["rating"])
my_perception = 100 * (cx.groupby("respondent_id")["keyed"].mean().mean() - 1) / 4"""),
    ("code", 'training.check("3-perception", my_perception)'),
    ("md", """### Exercise 3.2 - favourable %
With the reverse-keyed Customer Experience ratings of exercise 3.1 (`cx["keyed"]`), compute `F`: the share of the
area's **ratings** (not of respondents) that are 4 or 5, in % (0-100)."""),
    ("exercise", "my_favourable = ...", 'my_favourable = 100 * (cx["keyed"] >= 4).mean()'),
    ("code", 'training.check("3-favourable", my_favourable)'),
    ("md", """### Exercise 3.3 - r_wg of one item
Compute the item-level r_wg of `CX04` (on 0-1). Does reverse keying change it? Why not?"""),
    ("exercise", "my_rwg = ...", 'my_rwg = max(0.0, 1 - cx.loc[cx["question_id"] == "CX04", "keyed"].var() / 2)'),
    ("code", 'training.check("3-rwg", my_rwg)'),
    ("discuss", "**Why** does reverse keying not change r_wg?",
     "r_wg depends only on the item's variance. Reverse keying turns every rating `r` into `6 - r`: the ratings are "
     "mirrored, their mean moves, but their spread does not, so `s^2` and r_wg stay the same. Reverse keying "
     "matters for perception and favourable %, which depend on where the ratings are, not on how far apart."),
    ("md", "### Exercise 3.4 - consistency\nAverage the item-level r_wg over the area's items, in points."),
    ("exercise", "my_consistency = ...", 'item_variance = cx.groupby("question_id")["keyed"].var()\nmy_consistency = 100 * (1 - item_variance / 2).clip(lower=0).mean()'),
    ("code", 'training.check("3-consistency", my_consistency)'),
    ("md", """### Exercise 3.5 - evidence
KPI definitions are in `client.config.kpis` (`pd.DataFrame([k.model_dump() for k in client.config.kpis])`),
observations in `client.operations`."""),
    ("exercise", "my_evidence = ...", """kpis = pd.DataFrame([k.model_dump() for k in client.config.kpis])
ops = client.operations.merge(kpis, left_on="kpi_id", right_on="id")
ops = ops[ops["area"] == "customer_experience"].copy()
ops["met"] = (ops["value"] <= ops["target"]).where(ops["better"] == "lower", ops["value"] >= ops["target"])
my_evidence = 100 * ops.groupby("kpi_id")["met"].mean().mean()"""),
    ("code", 'training.check("3-evidence", my_evidence)'),
    ("md", "## Compare with the toolkit\n`assess` computes all of this (and the alignment score that combines them)."),
    ("code", "assessment = assess(client)"),
    ("code", 'assessment.areas.loc["customer_experience", ["perception", "favourable", "consistency", "evidence", "alignment"]]'),
    ("discuss", "**Discuss:** why does the method avoid the multi-item r_wg(J)? What happens to it when an area has "
                "20 items?",
     "r_wg(J) = J(1 - q) / (J(1 - q) + q), with q the mean item variance over 2. It grows with the number of items "
     "J whatever people think: a weak item-level agreement of 0.30 (q = 0.70) reads 0.38 with one item but "
     "20 x 0.30 / (20 x 0.30 + 0.70) = 0.90 with 20, \"strong agreement\". An area with many questions would look "
     "aligned because it has many questions. The mean of the item-level r_wg does not depend on J, so areas with "
     "different numbers of items stay comparable."),
])

M4 = ("04-reading-the-evidence", "Module 4 - Reading the evidence", [
    ("md", """# Module 4 - Reading the evidence (about 50 minutes)

Numbers in a deck must be read with three cautions: **who is behind them** (a small group is never shown),
**how sure we are** (intervals), and **what they do not say** (a perception is not a fact about operations)."""),
    ("code", PARAMS),
    ("code", SETUP + "\nimport pandas as pd\nfrom toolkit.plots import plot_heatmap, plot_perception_gap\nfrom toolkit.story import build_story\n" + WIDE),
    ("code", "story = build_story(paths.client_dir)"),
    ("md", """## Departments and confidentiality
Any result over fewer than 3 respondents is suppressed. When one department is hidden, the next-smallest is hidden
too (**secondary suppression**): otherwise its result could be recovered from the total by subtraction."""),
    ("code", "plot_heatmap(story.assessment.departments)"),
    ("code", "story.assessment.coverage"),
    ("md", """### Exercise 4.1 - Customer Experience by department
With pandas, compute Customer Experience perception per department (reverse-keyed, respondent means first) and
return a dict `{department: perception}` holding **only what may be shown**."""),
    ("code", "ratings = story.client.ratings\nquestions = story.client.questions"),
    ("exercise", "my_departments = ...", """keyed = ratings.merge(questions[["question_id", "area", "reverse"]], on="question_id")
keyed = keyed[keyed["area"] == "customer_experience"].copy()
keyed["keyed"] = keyed["rating"].where(~keyed["reverse"], 6 - keyed["rating"])
per_person = keyed.groupby(["department", "respondent_id"])["keyed"].mean()
by_department = 100 * (per_person.groupby("department").mean() - 1) / 4
shown = story.assessment.departments.query("area == 'customer_experience' and not suppressed")["department"]
my_departments = by_department[by_department.index.isin(shown)].to_dict()"""),
    ("code", 'training.check("4-department-perception", my_departments)'),
    ("md", """## Perception gaps between levels
When executives rate an area 10 points or more above the frontline, leadership has a blind spot."""),
    ("code", "plot_perception_gap(story.assessment.perception_gaps)"),
    ("md", "### Exercise 4.2 - the Management Style gap\nCompute executive minus frontline perception on Management Style, in points, with pandas."),
    ("exercise", "my_gap = ...", """ms = ratings.merge(questions[["question_id", "area", "reverse"]], on="question_id")
ms = ms[ms["area"] == "management_style"].copy()
ms["keyed"] = ms["rating"].where(~ms["reverse"], 6 - ms["rating"])
by_level = 100 * (ms.groupby(["level", "respondent_id"])["keyed"].mean().groupby("level").mean() - 1) / 4
my_gap = by_level["executive"] - by_level["frontline"]"""),
    ("code", 'training.check("4-gap", my_gap)'),
    ("md", """## Intervals: what not to over-claim
Every score has a 90 % bootstrap interval. A change since the last wave is called out only when its interval
excludes 0. A perception says what people believe, not what operations deliver: say "staff rate", not "the firm is"."""),
    ("code", 'story.assessment.drift.query("metric == \'alignment\'")'),
    ("md", "### Exercise 4.3 - what changed?\nWhich areas' **alignment** changed since the last wave beyond doubt? A set of area ids."),
    ("exercise", "my_changes = ...", """drift = story.assessment.drift
my_changes = set(drift.query("metric == 'alignment' and (lo > 0 or hi < 0) and area != 'overall'")["area"])"""),
    ("code", 'training.check("4-changes", my_changes)'),
    ("discuss", "**Discuss:** Customer Experience perception rose by about 4.5 points (90 % interval -0.7 to +9.8). "
                "How would you word that in a deck without over-claiming?",
     "\"Staff rate Customer Experience about 4.5 points higher than in 2025-h1, but the change is within the "
     "uncertainty of the measurement (90 % interval -0.7 to +9.8): we cannot yet say it improved.\" Do not put it in "
     "an action title, do not call it a trend, and say what would confirm it (the next wave). And say \"staff "
     "rate\", not \"the firm delivers\": a perception is not an operations fact."),
])

M5 = ("05-findings-to-recommendations", "Module 5 - From findings to recommendations", [
    ("md", """# Module 5 - From findings to recommendations (about 45 minutes)

The playbook (`templates/playbook.yaml`) is a list of rules: *condition -> finding, action, owner, horizon*.
The toolkit fires the rules whose conditions the numbers meet and ranks them by `weight x (75 - A)` (areas below 75). Your job is
to choose, explain and sequence - never to recommend what the evidence does not support."""),
    ("code", PARAMS),
    ("code", SETUP + "\nimport pandas as pd\nfrom toolkit.findings import load_playbook\nfrom toolkit.story import build_story"),
    ("code", "story = build_story(paths.client_dir)"),
    ("code", 'story.assessment.areas[["weight", "perception", "consistency", "evidence", "alignment", "band"]]'),
    ("md", "### Exercise 5.1 - the principal gap\nCompute it with pandas from `story.assessment.areas`."),
    ("exercise", "my_principal_gap = ...", """areas = story.assessment.areas
my_principal_gap = (areas["weight"] * (75 - areas["alignment"]).clip(lower=0)).idxmax()"""),
    ("code", 'training.check("5-principal-gap", my_principal_gap)'),
    ("code", "story.findings.recommendations"),
    ("code", "pd.DataFrame([r.model_dump() for r in load_playbook().rules])[[\"id\", \"area\", \"horizon\", \"owner\"]]"),
    ("md", "### Exercise 5.2 - actions\nPick the playbook rules (ids) that fired for the principal gap: the first actions of the roadmap."),
    ("exercise", "my_actions = ...", """recs = story.findings.recommendations
my_actions = list(recs.loc[recs["area"] == my_principal_gap, "rule_id"])"""),
    ("code", 'training.check("5-actions", my_actions)'),
    ("md", """### Exercise 5.3 - the executive summary
Write 30-150 words for the client's leadership: the Overall Alignment Index (rounded, as the deck shows it) and its
band, the principal gap, the findings that matter, and what to do first. Never name a person or a suppressed group."""),
    ("code", "story.assessment.oai"),
    ("exercise", 'my_summary = ...', '''oai = story.assessment.oai
my_summary = (f"Larkspur Clinics scores {oai['value']:.0f} on the Overall Alignment Index: {oai['band']}. "
              "The principal gap is Customer Experience, which carries 40% of the strategic weight: staff believe "
              "in the personal promise but deliver it unevenly, and one clinic's patient KPIs miss target. "
              "Management Style improved since the last wave, yet executives still rate it well above the frontline. "
              "First, codify the promise into observable service standards and audit them monthly in every clinic.")'''),
    ("code", 'training.check("5-summary", my_summary)'),
    ("discuss", "**Discuss:** the playbook fired a cross-cutting rule with a higher priority than some area rules. "
                "Would you lead with it?",
     "Lead with the principal gap: it is what costs the strategy most, and the client needs one clear first "
     "priority. Put the cross-cutting rule first only if it explains the principal gap (e.g. the same missing "
     "standard causes the Customer Experience shortfall); otherwise present it as the enabling action next to the "
     "area actions, with its own owner and horizon. Priority ranks findings; it does not write the storyline."),
])

M6 = ("06-capstone", "Module 6 - Capstone", [
    ("md", """# Module 6 - Capstone: produce and critique a full deck (about 60 minutes)

Produce Larkspur Clinics' assessment deck exactly as an engagement lead would, into a scratch folder, then read it
critically. The data has a twist: one department's KPI evidence contradicts what its people say."""),
    ("code", PARAMS + '\nreports_dir = ""  # where the deck is written (empty: a new temporary folder)'),
    ("code", SETUP + "\nimport pandas as pd\nfrom toolkit.report import run_report\nfrom toolkit.story import build_story"),
    ("code", "reports = training.scratch_folder(reports_dir)"),
    ("md", """### Exercise 6.1 - the deck
Call `run_report(paths.client_dir, out_dir=reports, formats="html")` and keep what it returns. Open the deck.html
it wrote (in `result.out_dir`) in a browser."""),
    ("exercise", "result = ...", 'result = run_report(paths.client_dir, out_dir=reports, formats="html")'),
    ("code", 'training.check("6-deck", result)'),
    ("md", """### Exercise 6.2 - the twist
Put each visible department's Customer Experience perception next to its customer KPI attainment
(`story.assessment.kpi_departments`, KPIs of the area in `story.assessment.kpis`). Which department's evidence
contradicts its interviews?"""),
    ("code", "story = build_story(paths.client_dir)"),
    ("exercise", "my_twist = ...", """a = story.assessment
perception = a.departments.query("area == 'customer_experience' and not suppressed").set_index("department")["perception"]
cx_kpis = a.kpis.loc[a.kpis["area"] == "customer_experience", "kpi_id"]
attainment = a.kpi_departments[a.kpi_departments["kpi_id"].isin(cx_kpis)].groupby("department")["attainment"].mean()
table = pd.DataFrame({"perception": perception, "attainment": attainment}).dropna()
my_twist = (table["perception"] - table["attainment"]).idxmax()"""),
    ("code", 'training.check("6-twist", my_twist)'),
    ("md", """## Critique the deck (with your trainer)
1. Does the executive summary lead with the principal gap, and is every number on it traceable to a slide?
2. Where does the deck show the twist? Would a client reading only the scorecard see it?
3. Which claims about change since 2025-h1 are supported by an interval, and which would you soften?
4. Which departments are suppressed, and could a reader still work out their results anywhere?
5. Which recommendation would you cut or reword for this client, and why?"""),
    ("answer",),
    ("md", """<details><summary><b>Model answers</b> (open after writing yours)</summary>

1. It should: the OAI and its band, then the principal gap (Customer Experience, the largest weighted shortfall),
   each number also on the scorecard slide. A number that appears only in the summary is a defect.
2. In the Customer Experience deep dive and the KPI-by-department evidence: the department you found in 6.2 rates
   the area highest while missing its patient KPIs. The scorecard averages hide it, which is why the deck must
   name it in words.
3. Only changes whose interval excludes 0 are claimed (module 4). A rise whose interval includes 0 is worded as
   "no clear change yet", never as an improvement.
4. A department under the privacy threshold is suppressed, and a second one is hidden with it (secondary
   suppression) so the first cannot be recovered from the total by subtraction. Check every chart, table,
   quote and the appendix: none may show either.
5. An open question: cut an action the client already does, or reword one whose owner does not exist in the
   organisation. Any action must answer a finding shown in the deck.
</details>"""),
])

MODULES = (M1, M2, M3, M4, M5, M6)


def build(cells: list[tuple], solution: bool) -> nbformat.NotebookNode:
    """Return the notebook of one module (learner or solution version), without outputs."""
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                   "language_info": {"name": "python"}}
    for cell in cells:
        if cell[0] == "md":
            nb.cells.append(nbformat.v4.new_markdown_cell(cell[1]))
        elif cell[0] == "answer":
            answer = nbformat.v4.new_markdown_cell(ANSWER_CELL)
            answer.metadata["tags"] = ["answer"]
            nb.cells.append(answer)
        elif cell[0] == "code":
            code = nbformat.v4.new_code_cell(cell[1])
            if cell[1].startswith(PARAMS):
                code.metadata["tags"] = ["parameters"]
                if solution:  # solutions/ sits one folder below notebooks/training
                    code.source = cell[1].replace('training_dir = "."', 'training_dir = ".."')
            nb.cells.append(code)
        elif cell[0] == "discuss":
            nb.cells.append(nbformat.v4.new_markdown_cell(cell[1]))
            answer = nbformat.v4.new_markdown_cell(ANSWER_CELL)
            answer.metadata["tags"] = ["answer"]
            nb.cells.append(answer)
            nb.cells.append(nbformat.v4.new_markdown_cell(
                "<details><summary><b>Model answer</b> (open after writing yours)</summary>\n\n" + cell[2]
                + "\n</details>"))
        else:
            code = nbformat.v4.new_code_cell(cell[2] if solution else cell[1])
            code.metadata["tags"] = ["exercise"]
            nb.cells.append(code)
    for i, c in enumerate(nb.cells):
        c["id"] = f"cell-{i:02d}"
    return nb


def main() -> None:
    """Write every exercise notebook and its solution."""
    for name, _title, cells in MODULES:
        nbformat.write(build(cells, solution=False), HERE / f"{name}.ipynb")
        nbformat.write(build(cells, solution=True), HERE / "solutions" / f"{name}.ipynb")


if __name__ == "__main__":
    main()
