"""The SDMX structure message: the concept scheme, the codelists (indicator, area, sex, age
group, offence, statistic, unit, observation status, confidentiality), the data structure
definition and the dataflow, with names in every language that has a catalogue."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache, partial
from importlib import resources
from typing import Any

from sdmx import message
from sdmx.model import common, v21

from jjis.indicators.catalogue import Indicator
from jjis.reports import i18n, labels
from jjis.reports.formatting import Lang
from jjis.reports.i18n import N_
from jjis.reports.model import ReportModel
from jjis.settings import band_label

DIMENSIONS = ("INDICATOR", "REF_AREA", "SEX", "AGE", "OFFENCE", "STATISTIC", "TIME_PERIOD")
BREAKDOWN_DIMENSIONS = {"sex": "SEX", "age_group": "AGE", "offence": "OFFENCE"}
ATTRIBUTES = ("UNIT_MEASURE", "OBS_STATUS", "OBS_CONF", "LOWER_BOUND", "UPPER_BOUND",
              "OBS_FOOTNOTE")
CONCEPTS = {
    "INDICATOR": N_("Indicator"), "REF_AREA": N_("Area"), "SEX": N_("Sex"),
    "AGE": N_("Age group"), "OFFENCE": N_("Offence (ICCS section)"),
    "STATISTIC": N_("Statistic"), "TIME_PERIOD": N_("Census date"),
    "OBS_VALUE": N_("Value"), "UNIT_MEASURE": N_("Unit of measure"),
    "OBS_STATUS": N_("Observation status"), "OBS_CONF": N_("Confidentiality status"),
    "LOWER_BOUND": N_("Lower bound of the 95% interval"),
    "UPPER_BOUND": N_("Upper bound of the 95% interval"), "OBS_FOOTNOTE": N_("Notes"),
}


@lru_cache(maxsize=1)
def codes() -> dict[str, Any]:
    """The declared code mapping (sdmx_codes.toml)."""
    text = resources.files("jjis.reports").joinpath("sdmx_codes.toml").read_text("utf-8")
    return tomllib.loads(text)


def names(message_id: str, fn: Callable[[Lang], str] | None = None) -> dict[str, str]:
    """A name in every language that has a catalogue."""
    out = {}
    for code in i18n.languages():
        lang = Lang(code)
        out[code] = fn(lang) if fn else lang.gettext(message_id)
    return out


CONF_NAMES = {"F": N_("Free"), "C": N_("Confidential statistical information"),
              "D": N_("Secondary confidentiality set by the sender, not for publication")}
STATUS_NAMES = {"A": N_("Normal value"), "Q": N_("Missing value; suppressed"),
                "O": N_("Missing value")}


@dataclass
class Structure:
    agency: common.Agency
    message: message.StructureMessage
    dsd: v21.DataStructureDefinition
    dataflow: v21.DataflowDefinition
    codelists: dict[str, common.Codelist]  # by dimension or attribute id
    indicator_code: dict[int, str]
    breakdown_codes: dict[tuple[str, str], str] = field(default_factory=dict)
    unit_codes: dict[str, str] = field(default_factory=dict)

    def breakdown_code(self, dim: str, value: str) -> str:
        return self.breakdown_codes[(dim, value)]

    def unit_code(self, unit: str) -> str:
        return self.unit_codes[unit]

    @staticmethod
    def statistic_code(statistic: str) -> str:

        return str(codes()["codes"]["statistic"]["_pattern"]).format(upper=statistic.upper())


def _value_name(dim: str, value: str, lang: Lang) -> str:
    return lang.breakdown_value(dim, value)


def _indicator_text(ind: Indicator, field: str, lang: Lang) -> str:
    return lang.indicator_text(ind, field)


def _codelist(cl_id: str, name: dict[str, str], ma: dict[str, Any],
              items: list[tuple[str, dict[str, str]]]) -> common.Codelist:
    cl = common.Codelist(id=cl_id, name=name, **ma)
    for code_id, code_name in items:
        cl.append(common.Code(id=code_id, name=code_name))
    return cl


def _breakdown_codes(model: ReportModel) -> dict[tuple[str, str], str]:

    mapping = codes()["codes"]
    out: dict[tuple[str, str], str] = {}
    for dim, table in (("sex", mapping["sex"]), ("age_group", mapping["age_group"]),
                       ("offence", mapping["offence"])):
        for value, code in table.items():
            if not value.startswith("_"):
                out[(dim, value)] = code
    for lo, hi in model.config["indicators.age_bands"]:
        out[("age_group", band_label(lo, hi))] = mapping["age_group"]["_pattern"].format(lo=lo, hi=hi)
    from jjis.schema.codes import ICCS_SECTIONS

    for section in ICCS_SECTIONS:
        out[("offence", section)] = mapping["offence"]["_pattern"].format(code=section)
    return out


def _dimension_lists(model: ReportModel, st: Structure, ma: dict[str, Any]) -> None:

    mapping = codes()["codes"]
    for dim, sdmx_id in (("sex", "SEX"), ("age_group", "AGE"), ("offence", "OFFENCE")):
        items = [(code, names("", partial(_value_name, dim, value)))
                 for (d2, value), code in st.breakdown_codes.items() if d2 == dim]
        items.append((mapping[dim]["_total"], names(labels.DIMENSIONS[""])))
        st.codelists[sdmx_id] = _codelist(f"CL_{sdmx_id}", names(labels.DIMENSIONS[dim]), ma, items)
    stats = list(dict.fromkeys(s for ind in model.catalogue for s in ind.statistics))
    st.codelists["STATISTIC"] = _codelist("CL_STATISTIC", names("Statistic"), ma, [
        (st.statistic_code(s), names(labels.STATISTICS[s])) for s in stats])
    st.unit_codes = dict(mapping["unit"])
    st.codelists["UNIT_MEASURE"] = _codelist("CL_UNIT_MEASURE", names("Unit of measure"), ma, [
        (code, names(labels.UNITS[unit])) for unit, code in st.unit_codes.items()])
    conf, status = codes()["obs_conf"], codes()["obs_status"]
    st.codelists["OBS_CONF"] = _codelist("CL_CONF_STATUS", names("Confidentiality status"), ma, [
        (c, names(CONF_NAMES[c])) for c in dict.fromkeys(conf.values())])
    st.codelists["OBS_STATUS"] = _codelist("CL_OBS_STATUS", names("Observation status"), ma, [
        (c, names(STATUS_NAMES[c])) for c in dict.fromkeys(status.values())])


def _indicator_list(model: ReportModel, st: Structure, ma: dict[str, Any]) -> None:

    cl = common.Codelist(id="CL_JJ_INDICATOR", name=names("Indicator"), **ma)
    series = codes()["series"]
    for ind in model.catalogue:
        code = common.Code(id=ind.sdmx_code,
                           name=names("", partial(_indicator_text, ind, "name")),
                           description=names("", partial(_indicator_text, ind, "sentence")))
        source = codes()["indicator_source"].get(ind.sdmx_code, "JJIS")
        code.annotations.append(v21.Annotation(id="SOURCE", type="CODE_SOURCE", title=source))
        code.annotations.append(v21.Annotation(id="MANUAL_INDICATOR", type="MANUAL_INDICATOR",
                                                  title=str(ind.id)))
        for key, related in series.items():
            if key.split(".")[0] == str(ind.id) and related:
                code.annotations.append(v21.Annotation(
                    id=f"SERIES_{key.split('.')[1].upper()}", type="UNICEF_SERIES",
                    title=", ".join(related)))
        cl.append(code)
        st.indicator_code[ind.id] = ind.sdmx_code
    st.codelists["INDICATOR"] = cl


def _area_list(model: ReportModel, ma: dict[str, Any]) -> common.Codelist:

    cl = common.Codelist(id="CL_JJ_AREA", name=names("Area"), **ma)
    for area in sorted(model.areas.values(), key=lambda a: (a.depth, a.id)):
        code = common.Code(id=area.id, name={lg: area.name for lg in names("Area")})
        if area.parent is not None and area.parent in cl:
            code.parent = cl[area.parent]
        cl.append(code)
    return cl


def _dsd(st: Structure, ma: dict[str, Any], cs: common.ConceptScheme) -> None:

    dsd = st.dsd
    for order, dim in enumerate(DIMENSIONS, start=1):
        if dim == "TIME_PERIOD":
            dsd.dimensions.getdefault(id=dim, cls=v21.TimeDimension, concept_identity=cs[dim],
                                      order=order)
            continue
        dsd.dimensions.getdefault(
            id=dim, concept_identity=cs[dim], order=order,
            local_representation=common.Representation(enumerated=st.codelists[dim]))
    dsd.measures.getdefault(id="OBS_VALUE", concept_identity=cs["OBS_VALUE"])
    for attr in ATTRIBUTES:
        coded = attr in st.codelists
        dsd.attributes.getdefault(
            id=attr, concept_identity=cs[attr], related_to=v21.PrimaryMeasureRelationship(),
            usage_status=common.UsageStatus["mandatory" if coded else "conditional"],
            **({"local_representation": common.Representation(enumerated=st.codelists[attr])}
               if coded else {}))


def build_structure(model: ReportModel) -> Structure:

    decl = codes()["structure"]
    agency = common.Agency(id=decl["agency"], name=decl["agency_name"])
    ma: dict[str, Any] = {"maintainer": agency, "version": decl["version"], "is_final": True}
    cs = common.ConceptScheme(id=decl["concepts"], name=names("Juvenile justice indicators"), **ma)
    for cid, msg in CONCEPTS.items():
        cs.append(common.Concept(id=cid, name=names(msg)))
    dsd = v21.DataStructureDefinition(id=decl["dsd"], name=names("Juvenile justice indicators"),
                                      **ma)
    dataflow = v21.DataflowDefinition(id=decl["dataflow"], structure=dsd,
                                      name=names("Juvenile justice indicators"), **ma)
    st = Structure(agency, message.StructureMessage(header=message.Header(sender=agency)), dsd,
                   dataflow, {}, {}, _breakdown_codes(model))
    _indicator_list(model, st, ma)
    st.codelists["REF_AREA"] = _area_list(model, ma)
    _dimension_lists(model, st, ma)
    _dsd(st, ma, cs)
    for cl in st.codelists.values():
        st.message.add(cl)
    st.message.add(cs)
    st.message.add(dsd)
    st.message.add(dataflow)
    return st

