"""Code lists of the registers, declared once (data-model.md).

Every code is lower-case; import reads input case-insensitively.
"""

from __future__ import annotations

# Every date column holds dates from this day on: earlier ones are typing errors (0000-01-01)
# and some engines and programs cannot even represent them.
EARLIEST_DATE = "1900-01-01"
# The deepest area hierarchy a recursive query follows: a guard, so that a cycle of areas that
# is stored all the same (import rejects them) cannot make a computation run for ever.
MAX_AREA_DEPTH = 64
SEX = ("f", "m", "u")
POPULATION_SEX = ("f", "m")
AREA_LEVELS = ("country", "region", "district")  # deeper levels are allowed (any lower-case word)

FACILITY_KINDS = (
    "police_station",
    "police_lockup",
    "prosecutor",
    "court",
    "remand_centre",
    "juvenile_detention",
    "juvenile_correctional",
    "closed_care",
    "adult_prison",
    "diversion_programme",
    "social_services",
    "other",
)
# Default set of facility kinds that count as places of detention (setting `detention_kinds`).
PLACES_OF_DETENTION = (
    "police_lockup",
    "remand_centre",
    "juvenile_detention",
    "juvenile_correctional",
    "closed_care",
    "adult_prison",
)
# Kinds of facility that may keep each non-detention register.
ARRESTING_KINDS = ("police_station", "police_lockup", "other")
DECIDING_KINDS = (
    "police_station",
    "police_lockup",
    "prosecutor",
    "court",
    "diversion_programme",
    "social_services",
    "other",
)

ARREST_OUTCOMES = ("released", "diverted", "charged", "detained", "other")
LEGAL_STATUS = ("pre_sentence", "sentenced")
RELEASE_REASONS = (
    "transfer",
    "released_pending_trial",
    "acquitted",
    "diverted",
    "dismissed",
    "sentence_served",
    "early_release",
    "death",
    "escape",
    "other",
)
DEATH_CAUSES = ("illness", "suicide", "violence", "accident", "other", "unknown")
DECISION_KINDS = (
    "diversion",
    "custodial_sentence",
    "non_custodial_sentence",
    "acquittal",
    "dismissal",
)
CONTACT_KINDS = ("visit_received", "home_visit")
RELATIONS = ("parent", "guardian", "adult_family_member")
POLICY_INDICATORS = ("12", "13", "14", "15")
YES_NO = ("yes", "no")

SNAPSHOT_MEASURES = (
    "in_detention",
    "in_pre_sentence_detention",
    "not_wholly_separated",
    "with_family_contact",
)
PERIOD_MEASURES = (
    "arrested",
    "arrests",
    "deaths",
    "sentenced",
    "custodial_sentences",
    "diverted_or_sentenced",
    "diverted",
    "released",
    "released_with_aftercare",
)
MEASURES = (*PERIOD_MEASURES[:2], *SNAPSHOT_MEASURES, *PERIOD_MEASURES[2:])

# yes/no/unknown columns: accepted spellings and what they mean (None = unknown).
YES_NO_UNKNOWN_INPUT = {
    "yes": True,
    "true": True,
    "1": True,
    "no": False,
    "false": False,
    "0": False,
    "unknown": None,
    "": None,
}

# ICCS sections (International Classification of Crime for Statistical Purposes, level 1).
ICCS_SECTIONS = {
    "01": "Acts leading to death or intending to cause death",
    "02": "Acts causing harm or intending to cause harm to the person",
    "03": "Injurious acts of a sexual nature",
    "04": "Acts against property involving violence or threat against a person",
    "05": "Acts against property only",
    "06": "Acts involving controlled psychoactive substances or other drugs",
    "07": "Acts involving fraud, deception or corruption",
    "08": "Acts against public order, authority and provisions of the State",
    "09": "Acts against public safety and state security",
    "10": "Acts against the natural environment",
    "11": "Other criminal acts not elsewhere classified",
}
ICCS_PATTERN = r"^(0[1-9]|1[01])[0-9]*$"

# Column names that carry direct identifiers: refused on import (data minimisation).
DIRECT_IDENTIFIER_WORDS = (
    "name",
    "first_name",
    "last_name",
    "surname",
    "given_name",
    "family_name",
    "full_name",
    "child_name",
    "mother_name",
    "father_name",
    "visitor_name",
    "nom",
    "prenom",
    "address",
    "adresse",
    "street",
    "phone",
    "telephone",
    "mobile",
    "email",
    "e_mail",
    "passport",
    "national_id_number",
    "photo",
)
