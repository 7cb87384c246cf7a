"""Reason codes of data problems: one enum, one docstring per code (like pandera's ``SchemaErrorReason``).

Every `toolkit.model.Problem` carries a `Reason`; a code that is not a member
is refused when the problem is built, so a misspelt code fails at once
instead of never matching. `Reason` is a `str` enum: it prints, compares and
serialises as its value (``"missing_column"``), which is what ``validate``
prints in brackets and what manifests store.
"""
from __future__ import annotations

from enum import StrEnum

__all__ = ["Reason"]


class Reason(StrEnum):
    """Why a client's data (or a command's options) were refused or warned about."""

    # --- files and folders ---------------------------------------------------------------------------
    missing_file = "missing_file"
    """A required file (client.yaml, interviews, questions, operations) or the client folder is not there."""
    missing_folder = "missing_folder"
    """The folder of client folders given to a batch is not a folder."""
    empty_file = "empty_file"
    """A file exists but holds nothing (or only a header)."""
    unreadable_file = "unreadable_file"
    """A file could not be read or parsed (bad CSV, broken workbook, invalid YAML)."""
    unknown_encoding = "unknown_encoding"
    """A text file's encoding is not one the toolkit reads safely; the fix is an ``encoding:`` line."""
    ragged_row = "ragged_row"
    """A CSV row has more or fewer fields than the header."""
    symlink_outside = "symlink_outside"
    """A symbolic link points outside the client folder (never followed)."""
    unsafe_wave = "unsafe_wave"
    """A wave name or wave folder is not a safe wave id (`toolkit.rules.WAVE_ID`)."""
    unsafe_client_id = "unsafe_client_id"
    """The client folder's name is not a safe client id (`toolkit.rules.CLIENT_ID`)."""
    unknown_client = "unknown_client"
    """``--only`` names a client that has no folder."""

    # --- limits (toolkit.run.limits) -----------------------------------------------------------------
    file_too_large = "file_too_large"
    """A file is larger than its limit."""
    xlsx_too_large = "xlsx_too_large"
    """A workbook unzips to more than its limit, or compresses suspiciously well."""
    xlsx_too_many_cells = "xlsx_too_many_cells"
    """A worksheet uses more cells than the limit."""
    formula_without_value = "formula_without_value"
    """A workbook cell holds a formula without a saved value (save it in Excel first)."""
    yaml_too_large = "yaml_too_large"
    """A YAML file is too large or expands too many aliases."""
    text_too_long = "text_too_long"
    """An excerpt or text cell is longer than the limit."""

    # --- client.yaml and mapping.yaml ----------------------------------------------------------------
    invalid_config = "invalid_config"
    """client.yaml breaks its schema (`toolkit.client_config.ClientConfig`)."""
    placeholder_text = "placeholder_text"
    """client.yaml still holds the scaffold's placeholder text."""
    bad_mapping = "bad_mapping"
    """mapping.yaml is invalid or does not fit the export it maps."""
    answer_key_as_respondent = "answer_key_as_respondent"
    """The mapping takes an answer column as the respondent id."""
    bad_period = "bad_period"
    """A wave's period or an operations period is not a period the toolkit reads."""

    # --- columns and cells ---------------------------------------------------------------------------
    missing_column = "missing_column"
    """A required column is missing."""
    unknown_column = "unknown_column"
    """A column the toolkit does not know (ignored; a warning)."""
    missing_value = "missing_value"
    """A required cell is empty."""
    invalid_value = "invalid_value"
    """A cell or option holds a value of the wrong kind."""
    not_a_number = "not_a_number"
    """A rating or KPI value is not a number."""
    not_a_boolean = "not_a_boolean"
    """A true/false column holds something else."""
    out_of_range = "out_of_range"
    """A rating is outside the answer scale."""
    duplicate_key = "duplicate_key"
    """Two rows share a key that must be unique (question id, respondent x question, KPI x period)."""
    duplicate_rows_dropped = "duplicate_rows_dropped"
    """Identical rows were dropped as the mapping asked (a counted warning)."""

    # --- references between tables -------------------------------------------------------------------
    unknown_question = "unknown_question"
    """A rating names a question that questions.csv does not have."""
    unknown_area = "unknown_area"
    """A question or excerpt names an area that is not one of the method's."""
    outcome_area = "outcome_area"
    """A question marked ``outcome: true`` names an area, which is not used."""
    unknown_level = "unknown_level"
    """A respondent's level is not executive, manager or frontline (after the mapping)."""
    unknown_kpi = "unknown_kpi"
    """Operations data names a KPI that client.yaml does not define."""
    kpi_without_data = "kpi_without_data"
    """A KPI of client.yaml has no rows in the operations data."""
    unknown_respondent = "unknown_respondent"
    """An excerpt names a respondent who gave no ratings."""
    inconsistent_respondent = "inconsistent_respondent"
    """One respondent appears with two departments or levels."""
    unmatched_department = "unmatched_department"
    """An operations department matches no interviews department."""
    period_outside_wave = "period_outside_wave"
    """An operations period falls outside the wave's period."""

    # --- enough data to score ------------------------------------------------------------------------
    no_ratings = "no_ratings"
    """No usable rating is left to score."""
    low_completion = "low_completion"
    """A respondent answered few of the questions (a warning)."""
    small_group = "small_group"
    """A department or level has fewer respondents than ``min_group_size`` (its numbers are hidden)."""

    # --- commands and options ------------------------------------------------------------------------
    unknown_format = "unknown_format"
    """``--formats`` names a format other than html, pdf and pptx."""
    unknown_parameter = "unknown_parameter"
    """``-p`` names a parameter the notebook does not declare, or one the report sets itself."""
    bad_parameter = "bad_parameter"
    """``-p`` gives a value of the wrong type for a notebook parameter."""
    invalid_client_id = "invalid_client_id"
    """``new-client`` was given an id that is not a safe client id."""
    client_exists = "client_exists"
    """``new-client`` would write over an existing folder."""
