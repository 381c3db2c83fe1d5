"""The Riverside demo plan: a fictional place, its partners and money, and one past meeting.

Riverside is made up (area code E99999001 is not a real area), but its sizes are those of a
real English place of about 300,000 people: six partners pool £7m a year of growth and
transformation money, thirty-seven options ask for about one and a half times
that, and a scoring workshop in March 2027 has left individual and agreed scores behind.
It is what a newcomer sees first, so it tells the story of the product end to end.

Everything here is a plain table of records; the individual scores come from a fixed seed,
so the demo is the same every time it is written.
"""

from __future__ import annotations

import math
import random
import statistics
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from placeplanner.meeting.tally import is_wide
from placeplanner.model import (
    AgreedScore,
    ContractForm,
    Cost,
    Declaration,
    DeclarationAction,
    FundingStream,
    Indicator,
    IndividualScore,
    Level,
    Meeting,
    Need,
    Option,
    OptionKind,
    Participant,
    Partner,
    PlanData,
    PlanInfo,
    Population,
    Rule,
    RuleMeasure,
    ScalePoint,
    Scenario,
    Value,
    WeightSet,
    WeightSetKind,
)
from placeplanner.model.interests import conflicted_pairs, lead_partners

if TYPE_CHECKING:
    import pandas as pd

    from placeplanner.service import PlanService

PLACE = "Riverside"
AREA_CODE = "E99999001"  # fictional: no real area has this code
FIRST_YEAR, SECOND_YEAR = 2027, 2028
SEED = 2027

INFO = PlanInfo(
    place=PLACE,
    title="Riverside place, 2027/28 to 2028/29",
    start_year=FIRST_YEAR,
    years=2,
    area_code="",
    quorum=4,
    conflict_policy="recuse",
)

# --- partners ---------------------------------------------------------------------------

ICB = "NHS Riverside Integrated Care Board"
COUNCIL = "Riverside Borough Council"
HOSPITALS = "Riverside University Hospitals NHS Foundation Trust"
COMMUNITY = "Riverside Community and Mental Health NHS Trust"
PCNS = "Riverside Primary Care Networks"
VCS = "Riverside Voluntary Action"
HEALTHWATCH = "Healthwatch Riverside"  # takes part in meetings but brings no money

PARTNERS = (
    Partner(ICB, "ICB"),
    Partner(COUNCIL, "council"),
    Partner(HOSPITALS, "NHS trust"),
    Partner(COMMUNITY, "NHS trust"),
    Partner(PCNS, "primary care network"),
    Partner(VCS, "voluntary sector"),
)

# --- funding streams --------------------------------------------------------------------

BCF = "Better Care Fund pooled growth"
TRANSFORMATION = "ICB transformation fund"
PUBLIC_HEALTH = "Public health grant share"
SOCIAL_CARE = "Adult social care discretionary"
INEQUALITIES = "Health inequalities fund"
STAFF_HOURS = "Community trust staff hours"

#  name             partner    2027/28     2028/29     unit            ring-fenced for
_STREAMS: tuple[tuple[str, str, float, float, str, tuple[str, ...]], ...] = (
    (BCF,            ICB,       2_500_000,  2_600_000,  "GBP",          ()),
    (TRANSFORMATION, ICB,       1_800_000,  1_600_000,  "GBP",          ()),
    (PUBLIC_HEALTH,  COUNCIL,   1_200_000,  1_200_000,  "GBP",          ()),
    (SOCIAL_CARE,    COUNCIL,     900_000,    850_000,  "GBP",          ()),
    (INEQUALITIES,   ICB,         600_000,    600_000,  "GBP",          ("tag:inequalities",)),
    (STAFF_HOURS,    COMMUNITY,    10_000,     10_000,  "staff hours",  ()),
)  # fmt: skip

# --- needs and the indicators that show them --------------------------------------------

FRAILTY = "Frailty and falls in over-65s"
OBESITY = "Childhood obesity"
SMI = "Physical health of people with severe mental illness"
COPD = "Chronic obstructive pulmonary disease (COPD)"
DIABETES = "Type 2 diabetes"
SMOKING = "Smoking in pregnancy"
LONELINESS = "Loneliness and social isolation"
ALCOHOL = "Alcohol-related harm"

NEEDS = (
    Need(FRAILTY, 9_600, 3.0, "About 9,600 people over 65 live with moderate or severe frailty; falls admissions are well above the England rate."),
    Need(OBESITY, 5_800, 2.0, "One in four children leaves primary school obese, and the gap between the most and least deprived wards is widening."),
    Need(SMI, 3_300, 2.5, "People on the severe mental illness register die 15 to 20 years earlier than others, mostly from preventable physical illness."),
    Need(COPD, 6_700, 2.0, "COPD is more common than in England as a whole and drives winter emergency admissions, especially in Riverside North."),
    Need(DIABETES, 17_400, 2.0, "Around 17,400 adults have type 2 diabetes; only half receive all eight recommended care processes."),
    Need(SMOKING, 390, 1.5, "More than one in ten mothers smoke at the time of delivery, the main avoidable cause of stillbirth and low birth weight."),
    Need(LONELINESS, 16_500, 1.0, "About one adult in fifteen is often or always lonely; unpaid carers and older people living alone are most affected."),
    Need(ALCOHOL, 3_200, 1.5, "About 3,200 dependent drinkers, few of them in treatment; alcohol-specific admissions and deaths are above the England rate."),
)

_FINGERTIPS = "OHID Fingertips (illustrative)"

#  need        indicator                                                                      period      sex        age          value   unit             compared
_INDICATORS: tuple[tuple[str, str, str, str, str, float, str, str], ...] = (
    (FRAILTY,    "Emergency hospital admissions due to falls in people aged 65 and over",      "2022/23",  "Persons", "65+ yrs",    2_364,  "per 100,000",   "Worse"),
    (FRAILTY,    "Hip fractures in people aged 65 and over",                                   "2022/23",  "Persons", "65+ yrs",      574,  "per 100,000",   "Similar"),
    (OBESITY,    "Reception prevalence of obesity (including severe obesity)",                 "2022/23",  "Persons", "4-5 yrs",     10.9,  "%",             "Worse"),
    (OBESITY,    "Year 6 prevalence of obesity (including severe obesity)",                    "2022/23",  "Persons", "10-11 yrs",   25.8,  "%",             "Worse"),
    (SMI,        "Premature mortality in adults with severe mental illness (SMI)",             "2018 - 20","Persons", "18-74 yrs",  121.4,  "per 100,000",   "Worse"),
    (SMI,        "Severe mental illness: QOF prevalence (all ages)",                           "2022/23",  "Persons", "All ages",    1.10,  "%",             "Similar"),
    (COPD,       "Emergency hospital admissions for COPD (35+ yrs)",                           "2022/23",  "Persons", "35+ yrs",      566,  "per 100,000",   "Worse"),
    (COPD,       "COPD: QOF prevalence (all ages)",                                            "2022/23",  "Persons", "All ages",    2.21,  "%",             "Worse"),
    (DIABETES,   "Diabetes: QOF prevalence (17+ yrs)",                                         "2022/23",  "Persons", "17+ yrs",     7.70,  "%",             "Similar"),
    (DIABETES,   "People with type 2 diabetes who received all eight care processes",          "2022/23",  "Persons", "12+ yrs",     51.6,  "%",             "Similar"),
    (SMOKING,    "Smoking status at time of delivery",                                         "2022/23",  "Female",  "All ages",    11.4,  "%",             "Worse"),
    (SMOKING,    "Low birth weight of term babies",                                            "2022",     "Persons", ">=37 weeks gestational age at birth", 3.1, "%", "Similar"),
    (LONELINESS, "Social isolation: adult social care users who have as much social contact as they would like (18+ yrs)", "2022/23", "Persons", "18+ yrs", 41.3, "%", "Worse"),
    (LONELINESS, "Social isolation: adult carers who have as much social contact as they would like (18+ yrs)", "2021/22", "Persons", "18+ yrs", 27.9, "%", "Similar"),
    (ALCOHOL,    "Admission episodes for alcohol-specific conditions",                         "2022/23",  "Persons", "All ages",     719,  "per 100,000",   "Worse"),
    (ALCOHOL,    "Alcohol-specific mortality",                                                 "2020 - 22","Persons", "All ages",    16.9,  "per 100,000",   "Worse"),
)  # fmt: skip

# England's value of each indicator in the same period: the comparator the needs screen charts.
_ENGLAND = {
    "Emergency hospital admissions due to falls in people aged 65 and over": 1_933,
    "Hip fractures in people aged 65 and over": 551,
    "Reception prevalence of obesity (including severe obesity)": 9.2,
    "Year 6 prevalence of obesity (including severe obesity)": 22.7,
    "Premature mortality in adults with severe mental illness (SMI)": 103.6,
    "Severe mental illness: QOF prevalence (all ages)": 1.00,
    "Emergency hospital admissions for COPD (35+ yrs)": 391,
    "COPD: QOF prevalence (all ages)": 1.86,
    "Diabetes: QOF prevalence (17+ yrs)": 7.50,
    "People with type 2 diabetes who received all eight care processes": 50.4,
    "Smoking status at time of delivery": 8.8,
    "Low birth weight of term babies": 2.9,
    "Social isolation: adult social care users who have as much social contact as they would like (18+ yrs)": 44.4,
    "Social isolation: adult carers who have as much social contact as they would like (18+ yrs)": 28.0,
    "Admission episodes for alcohol-specific conditions": 626,
    "Alcohol-specific mortality": 14.5,
}
ENGLAND_CODE = "E92000001"

#  (sex, people) at the mid-2025 estimate
_POPULATION = (("persons", 301_400), ("females", 153_300), ("males", 148_100))

# --- values: the shared criteria, with described scales and swing weights summing to 100 ---

HEALTH = "Improves population health"
EQUITY = "Reduces inequalities"
QUALITY = "Quality and safety"
DELIVERY = "Deliverability"
STRATEGY = "Fit with system strategy"
VFM = "Value for money"

VALUE_NAMES = (HEALTH, EQUITY, QUALITY, DELIVERY, STRATEGY, VFM)

#  name       weight  description, then what 0, 5 and 10 on its scale mean
_VALUES: tuple[tuple[str, float, str, str, str, str], ...] = (
    (HEALTH, 25, "How much healthy life the option adds for Riverside's people, and for how many.",
     "No measurable effect on health",
     "A real gain for a defined group, such as fewer admissions or better control of a condition",
     "A large, well-evidenced gain in healthy life for many people"),
    (EQUITY, 20, "Whether the option narrows the gaps between the most and least deprived, and for excluded groups.",
     "Widens gaps, or benefits the best-off most",
     "Benefits all groups about equally",
     "Substantially narrows a gap for the most deprived or excluded groups"),
    (QUALITY, 15, "Effect on safety, clinical effectiveness and people's experience of care.",
     "Raises safety or quality concerns",
     "Maintains current standards",
     "A clear, evidenced improvement in safety, outcomes or experience"),
    (DELIVERY, 10, "Whether it can be staffed, housed and started within the plan's two years.",
     "Cannot be staffed or delivered in time",
     "Deliverable with manageable risks",
     "Ready to start: staff, premises and provider in place"),
    (STRATEGY, 10, "Fit with the joint forward plan and the health and wellbeing strategy.",
     "Works against the system strategy",
     "Consistent with the strategy",
     "Central to the joint forward plan and the health and wellbeing strategy"),
    (VFM, 20, "What the option returns for its cost, including money released or demand prevented later.",
     "Costs are likely to exceed the benefits",
     "Reasonable value, in line with comparable services",
     "Releases more than it costs, or is highly cost-effective prevention"),
)  # fmt: skip

# --- options ----------------------------------------------------------------------------

HALF_OR_FULL = (Level("Half", 0.5, 0.6), Level("Full", 1.0, 1.0))

CostLine = tuple[str, float, float]  # (stream, 2027/28, 2028/29)


def _each_year(stream: str, amount: float) -> CostLine:
    return (stream, amount, amount)


def _setup_then(stream: str, setup: float, recurrent: float) -> CostLine:
    """A one-off set-up cost in the first year on top of the recurrent cost."""
    return (stream, setup + recurrent, recurrent)


def _costs(*lines: CostLine) -> tuple[Cost, ...]:
    return tuple(
        Cost(stream, year, float(amount))
        for stream, first, second in lines
        for year, amount in ((FIRST_YEAR, first), (SECOND_YEAR, second))
        if amount
    )


FRAILTY_WARD = "Frailty virtual ward"
FALLS_CAR = "Falls response car"
REABLEMENT = "Reablement at home"
HUB_HOSPITAL = "Respiratory hub, hospital-led design"
HUB_COMMUNITY = "Respiratory hub, community-led design"
SMI_CHECKS = "SMI physical health checks in primary care"
DIABETES_NURSES = "Diabetes specialist nurses in primary care"
CONNECTORS = "Community connectors in Riverside North"
INCENTIVES = "Financial incentives to quit smoking in pregnancy"
LINK_WORKERS = "Social prescribing link workers"
HEALTHY_WEIGHT = "Healthy weight programme for families"
ALCOHOL_TEAM = "Alcohol care team at Riverside General"
PIFU = "Patient-initiated follow-up"
END_FOLLOW_UP = "Decommission routine outpatient follow-up for stable conditions"
DAY_CENTRE = "Close the Millbrook day centre"
CARERS = "Carers' assessments backlog"
DOLS = "Deprivation of Liberty Safeguards assessments"

INVEST, EXPAND, REDESIGN, DECOMMISSION = (
    OptionKind.INVEST, OptionKind.EXPAND, OptionKind.REDESIGN, OptionKind.DECOMMISSION,
)
BLOCK, ALIGNED, ACTIVITY, GRANT, POOLED, IN_HOUSE = (
    ContractForm.BLOCK, ContractForm.ALIGNED_INCENTIVE, ContractForm.ACTIVITY,
    ContractForm.GRANT, ContractForm.SECTION_75, ContractForm.NONE,
)

OPTIONS = (
    # Frailty and falls
    Option(FRAILTY_WARD, COMMUNITY, INVEST,
           _costs(_each_year(BCF, 850_000), _setup_then(TRANSFORMATION, 150_000, 0), _each_year(STAFF_HOURS, 3_500)),
           needs=(FRAILTY,), tags=("digital", "workforce"), contract_form=ALIGNED, people_reached=1_400,
           description="Hospital-level care at home for up to 30 frail older people at a time, led by community geriatricians and nurses with remote monitoring."),
    Option(FALLS_CAR, COMMUNITY, INVEST,
           _costs(_each_year(BCF, 190_000), _each_year(STAFF_HOURS, 900)),
           needs=(FRAILTY,), tags=("workforce",), requires=(FRAILTY_WARD,), contract_form=BLOCK, people_reached=2_100,
           description="A paramedic and an occupational therapist reach people who have fallen at home within two hours and treat them there, with the virtual ward behind them."),
    Option("Strength and balance classes", VCS, EXPAND,
           _costs(_each_year(PUBLIC_HEALTH, 100_000), _each_year(INEQUALITIES, 40_000)),
           levels=HALF_OR_FULL, needs=(FRAILTY, LONELINESS), tags=("prevention", "inequalities"), contract_form=GRANT, people_reached=1_800,
           description="Twelve-week evidence-based falls prevention classes in community venues, free in the most deprived wards."),
    Option("Proactive frailty care in general practice", PCNS, EXPAND,
           _costs(_each_year(TRANSFORMATION, 480_000)),
           needs=(FRAILTY,), tags=("prevention", "workforce"), contract_form=ALIGNED, people_reached=4_500,
           description="Annual structured medication and falls reviews for everyone with moderate or severe frailty, by practice pharmacists and care coordinators."),
    Option("Home from hospital service", VCS, EXPAND,
           _costs(_each_year(BCF, 260_000)),
           needs=(FRAILTY, LONELINESS), tags=("prevention",), contract_form=GRANT, people_reached=1_600,
           description="Volunteers and paid coordinators settle older people at home after discharge and check on them for six weeks."),
    Option(REABLEMENT, COUNCIL, EXPAND,
           _costs(_each_year(BCF, 600_000), _each_year(SOCIAL_CARE, 200_000)),
           levels=HALF_OR_FULL, needs=(FRAILTY,), tags=("workforce",), contract_form=POOLED, people_reached=900,
           description="More reablement workers so that people leaving hospital regain independence at home rather than in a care home bed."),
    Option("Care home support team", COMMUNITY, EXPAND,
           _costs(_each_year(BCF, 380_000), _each_year(STAFF_HOURS, 1_000)),
           needs=(FRAILTY,), tags=("workforce",), contract_form=BLOCK, people_reached=1_100,
           description="A nurse-led team that visits every care home weekly to spot deterioration early and avoid emergency admissions."),
    Option("Urgent community response seven days a week", COMMUNITY, EXPAND,
           _costs(_each_year(BCF, 850_000), _each_year(TRANSFORMATION, 250_000), _each_year(STAFF_HOURS, 2_500)),
           needs=(FRAILTY, COPD), tags=("workforce",), contract_form=BLOCK, people_reached=3_000,
           description="Extend the two-hour urgent community response from weekdays to 8am to 8pm every day."),
    Option("Integrated neighbourhood team in Riverside North", PCNS, REDESIGN,
           _costs(_each_year(BCF, 350_000), _setup_then(TRANSFORMATION, 100_000, 0), _each_year(STAFF_HOURS, 1_000)),
           needs=(FRAILTY, COPD, DIABETES), tags=("inequalities", "workforce"), contract_form=ALIGNED, people_reached=8_000,
           description="GPs, community nurses, social workers and voluntary sector staff working as one team for the 30,000 people of Riverside North."),
    # Childhood obesity
    Option(HEALTHY_WEIGHT, COUNCIL, INVEST,
           _costs(_each_year(PUBLIC_HEALTH, 370_000), _each_year(INEQUALITIES, 80_000)),
           levels=HALF_OR_FULL, needs=(OBESITY,), tags=("prevention", "inequalities"), contract_form=BLOCK, people_reached=900,
           description="A family-based healthy eating and activity programme for children above a healthy weight, offered first in the most deprived wards."),
    Option("Active schools and healthy food programme", COUNCIL, INVEST,
           _costs(_each_year(PUBLIC_HEALTH, 210_000)),
           needs=(OBESITY,), tags=("prevention",), contract_form=GRANT, people_reached=12_000,
           description="The daily mile, healthier school meals and safe routes to school in every primary school in the borough."),
    Option("Specialist children's weight management clinic", HOSPITALS, INVEST,
           _costs(_setup_then(TRANSFORMATION, 90_000, 310_000)),
           needs=(OBESITY,), contract_form=BLOCK, people_reached=350,
           description="A multidisciplinary clinic for children with severe obesity and its complications, which Riverside does not have today."),
    # Severe mental illness
    Option(SMI_CHECKS, PCNS, EXPAND,
           _costs(_each_year(TRANSFORMATION, 240_000), _each_year(INEQUALITIES, 120_000), _each_year(STAFF_HOURS, 600)),
           needs=(SMI,), tags=("inequalities", "prevention"), contract_form=ALIGNED, people_reached=2_400,
           description="All six annual physical health checks for people on the severe mental illness register, with follow-up of what they find."),
    Option("Peer support workers for people with SMI", COMMUNITY, INVEST,
           _costs(_each_year(INEQUALITIES, 150_000)),
           needs=(SMI,), tags=("inequalities", "workforce"), requires=(SMI_CHECKS,), contract_form=BLOCK, people_reached=900,
           description="Peer workers with lived experience help people attend their health checks and act on the results."),
    Option("Crisis café and sanctuary", VCS, INVEST,
           _costs(_each_year(SOCIAL_CARE, 150_000), _each_year(INEQUALITIES, 100_000)),
           needs=(SMI, LONELINESS), tags=("inequalities",), contract_form=GRANT, people_reached=1_200,
           description="An evening and weekend safe space for people in mental health crisis, run with the mental health trust as an alternative to the emergency department."),
    # COPD
    Option("Pulmonary rehabilitation expansion", COMMUNITY, EXPAND,
           _costs(_each_year(TRANSFORMATION, 280_000), _each_year(STAFF_HOURS, 1_600)),
           needs=(COPD,), tags=("prevention",), contract_form=BLOCK, people_reached=700,
           description="Double pulmonary rehabilitation places and cut the wait from 20 weeks to six."),
    Option(HUB_HOSPITAL, HOSPITALS, REDESIGN,
           _costs(_setup_then(TRANSFORMATION, 150_000, 540_000)),
           needs=(COPD,), tags=("digital",), excludes=(HUB_COMMUNITY,), contract_form=ACTIVITY, people_reached=2_600,
           description="A respiratory hub at Riverside General with same-day assessment, remote monitoring and early supported discharge."),
    Option(HUB_COMMUNITY, COMMUNITY, REDESIGN,
           _costs(_setup_then(TRANSFORMATION, 100_000, 380_000), _each_year(STAFF_HOURS, 1_200)),
           needs=(COPD,), tags=("inequalities",), excludes=(HUB_HOSPITAL,), contract_form=BLOCK, people_reached=2_600,
           description="The same respiratory hub run by community nurses and physiotherapists from two health centres, with consultant advice by telephone."),
    # Type 2 diabetes
    Option("Structured education for type 2 diabetes", COMMUNITY, EXPAND,
           _costs(_each_year(TRANSFORMATION, 150_000), _each_year(STAFF_HOURS, 500)),
           needs=(DIABETES,), tags=("prevention",), contract_form=BLOCK, people_reached=1_500,
           description="More structured education courses, in the evenings and in community languages."),
    Option("Diabetes prevention outreach in deprived wards", VCS, INVEST,
           _costs(_each_year(INEQUALITIES, 160_000)),
           needs=(DIABETES,), tags=("inequalities", "prevention"), contract_form=GRANT, people_reached=2_000,
           description="Community health champions find people at high risk of diabetes and bring them into the national prevention programme."),
    Option(DIABETES_NURSES, HOSPITALS, REDESIGN,
           _costs(_each_year(TRANSFORMATION, 360_000)),
           needs=(DIABETES,), tags=("workforce",), contract_form=ALIGNED, people_reached=5_000,
           description="Hospital diabetes specialist nurses run joint clinics in practices, so that complex diabetes is managed closer to home."),
    Option("Digital diabetes self-management", ICB, INVEST,
           _costs(_setup_then(TRANSFORMATION, 120_000, 60_000)),
           needs=(DIABETES,), tags=("digital",), contract_form=ACTIVITY, people_reached=3_000,
           description="An NHS-approved app and online coaching for people who want to manage their diabetes themselves."),
    # Smoking in pregnancy
    Option("Tobacco dependence service in maternity", HOSPITALS, INVEST,
           _costs(_each_year(PUBLIC_HEALTH, 190_000), _each_year(INEQUALITIES, 60_000)),
           needs=(SMOKING,), tags=("prevention", "inequalities"), contract_form=BLOCK, people_reached=380,
           description="Opt-out carbon monoxide testing and specialist stop-smoking support for every pregnant smoker and her household."),
    Option(INCENTIVES, COUNCIL, INVEST,
           _costs(_each_year(PUBLIC_HEALTH, 70_000)),
           needs=(SMOKING,), tags=("prevention", "inequalities"), contract_form=ACTIVITY, people_reached=250,
           description="Shopping vouchers worth up to £400 for pregnant women who stop smoking, verified by carbon monoxide tests."),
    # Loneliness and social isolation
    Option(LINK_WORKERS, PCNS, EXPAND,
           _costs(_each_year(BCF, 360_000)),
           levels=HALF_OR_FULL, needs=(LONELINESS,), tags=("prevention", "workforce"), contract_form=BLOCK, people_reached=3_500,
           description="Six more link workers who connect people with community groups, debt advice and activities instead of more appointments."),
    Option(CONNECTORS, VCS, INVEST,
           _costs(_each_year(INEQUALITIES, 90_000), _each_year(SOCIAL_CARE, 60_000)),
           needs=(LONELINESS,), tags=("inequalities", "prevention"), contract_form=GRANT, people_reached=600,
           description="Community connectors who find isolated older people in Riverside North and link them with groups near them."),
    Option("Digital inclusion for older people", VCS, INVEST,
           _costs(_each_year(SOCIAL_CARE, 80_000)),
           needs=(LONELINESS,), tags=("digital", "inequalities"), contract_form=GRANT, people_reached=800,
           description="Devices, data and volunteer help so that older people can video-call family and use online services."),
    # Alcohol-related harm
    Option(ALCOHOL_TEAM, HOSPITALS, INVEST,
           _costs(_each_year(TRANSFORMATION, 240_000), _each_year(PUBLIC_HEALTH, 150_000)),
           needs=(ALCOHOL,), contract_form=BLOCK, people_reached=1_800,
           description="A seven-day alcohol care team that sees dependent drinkers in the hospital and links them into community treatment."),
    Option("Community alcohol treatment expansion", COUNCIL, EXPAND,
           _costs(_each_year(PUBLIC_HEALTH, 320_000)),
           needs=(ALCOHOL,), tags=("inequalities",), contract_form=BLOCK, people_reached=450,
           description="More community detoxification places and recovery workers, so that more dependent drinkers start treatment."),
    Option("Alcohol identification and brief advice in general practice", PCNS, EXPAND,
           _costs(_each_year(PUBLIC_HEALTH, 90_000)),
           needs=(ALCOHOL,), tags=("prevention",), contract_form=ACTIVITY, people_reached=6_000,
           description="Screen adults for risky drinking at routine appointments and give brief advice where it helps."),
    # Statutory duties: mandatory
    Option(CARERS, COUNCIL, EXPAND,
           _costs((SOCIAL_CARE, 350_000, 200_000)),
           needs=(LONELINESS,), tags=("workforce",), mandatory=True, contract_form=IN_HOUSE, people_reached=1_200,
           description="Clear the backlog of carers' assessments the council must carry out under the Care Act 2014, and keep waits within 28 days."),
    Option(DOLS, COUNCIL, EXPAND,
           _costs(_each_year(SOCIAL_CARE, 220_000)),
           needs=(FRAILTY,), mandatory=True, contract_form=IN_HOUSE, people_reached=700,
           description="Clear the backlog of Deprivation of Liberty Safeguards assessments, a statutory duty of the council under the Mental Capacity Act 2005."),
    # Redesign and decommissioning: the savings that fund the rest
    Option(PIFU, HOSPITALS, REDESIGN,
           _costs(_setup_then(TRANSFORMATION, 80_000, 70_000)),
           tags=("digital",), contract_form=ACTIVITY, people_reached=6_000,
           description="Patients with stable conditions book a follow-up when they need one, and GPs get specialist advice and guidance within two days."),
    Option(END_FOLLOW_UP, HOSPITALS, DECOMMISSION,
           _costs((TRANSFORMATION, -260_000, -420_000)),
           requires=(PIFU,), contract_form=ACTIVITY, people_reached=6_000,
           description="Stop routine outpatient follow-up that does not change care, releasing consultant time and money from the second quarter."),
    Option(DAY_CENTRE, COUNCIL, DECOMMISSION,
           _costs((SOCIAL_CARE, -150_000, -240_000)),
           needs=(LONELINESS,), requires=(CONNECTORS,), contract_form=IN_HOUSE, people_reached=45,
           description="Close a day centre running at a third of its capacity and needing repairs, and support its regulars through community connectors."),
    Option("End the duplicated community diabetes clinic", COMMUNITY, DECOMMISSION,
           _costs(_each_year(TRANSFORMATION, -120_000), _each_year(STAFF_HOURS, -800)),
           needs=(DIABETES,), requires=(DIABETES_NURSES,), contract_form=BLOCK, people_reached=400,
           description="End a community diabetes clinic that duplicates hospital and practice clinics once specialist nurses work in practices."),
    Option("Reduce spot-purchased intermediate care beds", ICB, DECOMMISSION,
           _costs((BCF, -300_000, -450_000)),
           needs=(FRAILTY,), requires=(REABLEMENT,), contract_form=POOLED, people_reached=250,
           description="Buy eight fewer intermediate care beds in care homes as more people are reabled in their own homes."),
)  # fmt: skip

# --- agreed scores: one column per value, in the order of VALUE_NAMES ----------------------

Profile = tuple[int, int, int, int, int, int]

_PROFILES: dict[str, Profile] = {
    #                                                              health equity quality deliver strategy vfm
    FRAILTY_WARD:                                                     (7,   4,     7,      5,      9,     6),
    FALLS_CAR:                                                        (6,   5,     7,      7,      7,     7),
    "Strength and balance classes":                                   (6,   6,     6,      8,      7,     8),
    "Proactive frailty care in general practice":                     (6,   5,     7,      5,      8,     6),
    "Home from hospital service":                                     (4,   5,     6,      8,      6,     7),
    REABLEMENT:                                                       (6,   5,     7,      4,      8,     7),
    "Care home support team":                                         (6,   5,     8,      6,      7,     6),
    "Urgent community response seven days a week":                    (7,   5,     7,      4,      9,     5),
    "Integrated neighbourhood team in Riverside North":                (6,   8,     6,      4,      9,     5),
    HEALTHY_WEIGHT:                                                   (5,   7,     5,      6,      6,     5),
    "Active schools and healthy food programme":                      (4,   5,     5,      7,      6,     6),
    "Specialist children's weight management clinic":                 (4,   3,     7,      4,      5,     3),
    SMI_CHECKS:                                                       (7,   9,     7,      5,      8,     7),
    "Peer support workers for people with SMI":                       (5,   8,     6,      6,      6,     6),
    "Crisis café and sanctuary":                                      (4,   7,     6,      7,      6,     6),
    "Pulmonary rehabilitation expansion":                             (7,   5,     7,      6,      7,     9),
    HUB_HOSPITAL:                                                     (6,   4,     7,      6,      6,     5),
    HUB_COMMUNITY:                                                    (6,   6,     6,      5,      8,     6),
    "Structured education for type 2 diabetes":                       (5,   4,     6,      8,      6,     7),
    "Diabetes prevention outreach in deprived wards":                 (5,   8,     5,      6,      7,     7),
    DIABETES_NURSES:                                                  (6,   5,     7,      5,      8,     6),
    "Digital diabetes self-management":                               (4,   2,     5,      8,      6,     5),
    "Tobacco dependence service in maternity":                        (7,   7,     7,      6,      8,     8),
    INCENTIVES:                                                       (6,   7,     5,      6,      6,     8),
    LINK_WORKERS:                                                     (4,   6,     5,      7,      7,     5),
    CONNECTORS:                                                       (4,   7,     5,      7,      6,     6),
    "Digital inclusion for older people":                             (3,   6,     4,      8,      5,     6),
    ALCOHOL_TEAM:                                                     (6,   6,     7,      6,      7,     7),
    "Community alcohol treatment expansion":                          (6,   8,     6,      6,      6,     7),
    "Alcohol identification and brief advice in general practice":    (4,   4,     5,      7,      5,     8),
    CARERS:                                                           (4,   5,     6,      5,      7,     4),
    DOLS:                                                             (3,   4,     8,      5,      6,     3),
    PIFU:                                                             (4,   4,     6,      6,      8,     7),
    END_FOLLOW_UP:                                                    (4,   4,     5,      6,      8,     9),
    DAY_CENTRE:                                                       (2,   2,     4,      6,      5,     8),
    "End the duplicated community diabetes clinic":                   (4,   5,     6,      7,      7,     9),
    "Reduce spot-purchased intermediate care beds":                   (4,   4,     6,      5,      8,     8),
}  # fmt: skip

_RATIONALES: dict[tuple[str, str], str] = {
    (FRAILTY_WARD, VFM): "Depends on bed days actually being released at Riverside General; to be tested at six months.",
    (FRAILTY_WARD, EQUITY): "Benefits frail people wherever they live; no particular reach into deprived wards.",
    (SMI_CHECKS, EQUITY): "People with severe mental illness die 15 to 20 years earlier; the group agreed this is where the gap is widest.",
    (HUB_HOSPITAL, STRATEGY): "Both hub designs fit the respiratory pathway; the joint forward plan favours care closer to home.",
    (HUB_COMMUNITY, DELIVERY): "Recruitment of respiratory physiotherapists is the main risk.",
    (INCENTIVES, HEALTH): "Strong trial evidence, doubts about local uptake; agreed at the median pending a six-month review.",
    (INCENTIVES, QUALITY): "Some partners worry that testing feels punitive; the scheme will be co-designed with mothers.",
    (DAY_CENTRE, EQUITY): "Healthwatch and the voluntary sector warned that regulars have nowhere else to go; closure only with connectors in place.",
    (DAY_CENTRE, VFM): "Running at a third of capacity and needs about £400k of repairs.",
    (END_FOLLOW_UP, QUALITY): "Safe only with patient-initiated follow-up and clear safety-netting, which it requires.",
    (CARERS, STRATEGY): "A statutory duty under the Care Act 2014: mandatory in the plan whatever its score.",
    (DOLS, QUALITY): "Unauthorised deprivations of liberty are a safeguarding risk and a legal one.",
    ("Specialist children's weight management clinic", VFM): "High cost per child; the analyst team scored it from the business case.",
    ("Pulmonary rehabilitation expansion", VFM): "Among the most cost-effective treatments in the NHS (NICE); scored from the evidence review.",
}

# --- people in the room -----------------------------------------------------------------

#  name                   organisation   role
_PARTICIPANTS: tuple[tuple[str, str, str], ...] = (
    ("Helen Whitfield",     ICB,          "Place director (chair)"),
    ("Rajesh Patel",        ICB,          "Director of finance"),
    ("Siobhan Murphy",      COUNCIL,      "Director of public health"),
    ("Marcus Bennett",      COUNCIL,      "Director of adult social services"),
    ("David Chen",          HOSPITALS,    "Chief operating officer"),
    ("Catherine Lloyd",     HOSPITALS,    "Chief nurse"),
    ("Joanne Kowalski",     COMMUNITY,    "Director of community services"),
    ("Tunde Bakare",        COMMUNITY,    "Medical director, mental health"),
    ("Priya Sharma",        PCNS,         "GP clinical lead, Riverside North PCN"),
    ("Owen Price",          PCNS,         "Clinical director, Riverside Central PCN"),
    ("Nadia Hussain",       VCS,          "Chief executive"),
    ("Bernard Ellis",       HEALTHWATCH,  "Chair"),
)  # fmt: skip

_DECLARED_ON = date(2027, 3, 10)
DECLARATIONS = (
    Declaration("Joanne Kowalski", FRAILTY_WARD, "Her directorate would run the virtual ward.",
                DeclarationAction.RECUSED, _DECLARED_ON),
    Declaration("David Chen", HUB_HOSPITAL, "The hospital trust would host the hub and receive its income.",
                DeclarationAction.RECUSED, _DECLARED_ON),
    # An interest in a partner: it covers every option Riverside Voluntary Action leads.
    Declaration("Nadia Hussain", "", "Chief executive of Riverside Voluntary Action, which would deliver or hold the grant.",
                DeclarationAction.RECUSED, _DECLARED_ON, partner=VCS),
    Declaration("Priya Sharma", SMI_CHECKS, "GP partner in a practice that would be paid for checks; payment is at network level.",
                DeclarationAction.ALLOWED, _DECLARED_ON,
                "Payment goes to the network, not to her practice; the chair allowed her to score."),
    Declaration("Owen Price", LINK_WORKERS, "His primary care network employs link workers today.",
                DeclarationAction.ALLOWED, date(2027, 2, 24),
                "The option extends a service his network already runs; the chair judged his knowledge useful."),
)

WORKSHOP = "Scoring workshop, March 2027"
MEETING = Meeting(
    WORKSHOP,
    held_on=date(2027, 3, 10),
    status="closed",
    notes=(
        "Quorate: twelve members present. Declarations of interest were taken first; three members "
        "were recused from the options their organisations would deliver. Twelve options were scored "
        "individually, the spread shown after each, and agreed scores set after discussion. The other "
        "options were scored by the place analytics team from their business cases, and the group "
        "confirmed those scores."
    ),
)

# --- the workshop: which options were scored, and how each organisation leant -------------

#  option          spread  leanings: (organisation, shift on every value)
_WORKSHOP_ROUNDS: tuple[tuple[str, float, tuple[tuple[str, float], ...]], ...] = (
    (FRAILTY_WARD,  1.0, ((COMMUNITY, 1.0), (HOSPITALS, 0.5), (VCS, -0.5))),
    (FALLS_CAR,     1.2, ((HEALTHWATCH, 1.0),)),
    (HEALTHY_WEIGHT, 1.3, ((COUNCIL, 1.0), (HOSPITALS, -1.0))),
    (SMI_CHECKS,    1.0, ((PCNS, 1.0), (COMMUNITY, 1.0))),
    (HUB_HOSPITAL,  1.2, ((HOSPITALS, 2.0), (COMMUNITY, -2.0), (PCNS, -1.0))),
    (HUB_COMMUNITY, 1.2, ((COMMUNITY, 2.0), (HOSPITALS, -2.0), (PCNS, 1.0))),
    (CONNECTORS,    1.0, ((VCS, 1.0), (HEALTHWATCH, 1.0))),
    (INCENTIVES,    1.8, ((COUNCIL, 2.5), (VCS, 1.0), (HOSPITALS, -2.0), (PCNS, -1.5), (HEALTHWATCH, -2.5))),
    (DAY_CENTRE,    1.5, ((COUNCIL, 2.5), (ICB, 1.5), (PCNS, -1.0), (VCS, -4.0), (HEALTHWATCH, -4.0))),
    (ALCOHOL_TEAM,  1.0, ((HOSPITALS, 1.0), (COUNCIL, 0.5))),
    (LINK_WORKERS,  1.2, ((PCNS, 1.0), (VCS, 1.0), (HOSPITALS, -1.0))),
    (END_FOLLOW_UP, 1.3, ((ICB, 1.5), (HOSPITALS, -1.0), (HEALTHWATCH, -2.0))),
)  # fmt: skip

_WORKSHOP_START = datetime(2027, 3, 10, 9, 45)
_MINUTES_PER_ROUND = 14

_COMMENTS: dict[tuple[str, str, str], str] = {
    ("Bernard Ellis", DAY_CENTRE, EQUITY): "Regulars told us they have nowhere else to go.",
    ("Marcus Bennett", DAY_CENTRE, VFM): "A third full, and the roof needs replacing.",
    ("Siobhan Murphy", INCENTIVES, HEALTH): "The strongest trial evidence of any quit-smoking support in pregnancy.",
    ("Catherine Lloyd", INCENTIVES, QUALITY): "Unsure how we verify quits without it feeling punitive.",
    ("Priya Sharma", SMI_CHECKS, DELIVERY): "Needs protected time; our practices are at capacity.",
    ("Tunde Bakare", SMI_CHECKS, EQUITY): "This is where the life expectancy gap is widest.",
    ("Rajesh Patel", FRAILTY_WARD, VFM): "Only pays back if bed days are really released.",
    ("David Chen", END_FOLLOW_UP, DELIVERY): "Consultants will want assurance on safety-netting.",
    ("Nadia Hussain", LINK_WORKERS, EQUITY): "Only if link workers are based in the most deprived neighbourhoods.",
    ("Joanne Kowalski", HUB_COMMUNITY, DELIVERY): "We can recruit two physiotherapists; the third is a risk.",
}

# --- weights, rules and scenarios --------------------------------------------------------

#  owner        short name               health equity quality deliver strategy vfm
_PARTNER_WEIGHTS: tuple[tuple[str, str, Profile], ...] = (
    (ICB,        "ICB",                     (25,  20,    15,     10,     15,     15)),
    (COUNCIL,    "Council",                 (20,  25,    10,     10,     10,     25)),
    (HOSPITALS,  "Hospital trust",          (20,  10,    30,     15,     10,     15)),
    (COMMUNITY,  "Community trust",         (25,  20,    20,     15,     10,     10)),
    (PCNS,       "Primary care networks",   (30,  15,    20,     15,      5,     15)),
    (VCS,        "Voluntary sector",        (20,  35,    10,     10,      5,     20)),
)  # fmt: skip

PREVENTION_RULE = "At least £500k for prevention"
VCS_RULE = "At least £400k through the voluntary sector"
RULES = (
    Rule(PREVENTION_RULE, "tag:prevention", RuleMeasure.SPEND, minimum=500_000),
    Rule("At least two options for frailty and falls", f"need:{FRAILTY}", RuleMeasure.COUNT, minimum=2),
    Rule(VCS_RULE, f"partner:{VCS}", RuleMeasure.SPEND, minimum=400_000),
)

SCENARIOS = (
    Scenario("Budget cut 10%", "Every money stream 10% smaller in both years, as the council's medium-term plan warns.",
             {"budget_factor": 0.9}),
    Scenario("Ignore fairness rules", "The portfolio without the prevention and voluntary sector minimums, to show what they cost.",
             {"rules_off": [PREVENTION_RULE, VCS_RULE]}),
)


DECISION_TITLE = "Riverside portfolio for 2027/28 and 2028/29"
DECISION_RATIONALE = (
    "The partners adopted the optimal portfolio on the workshop's agreed scores and weights. It funds the "
    "frailty pathway in full and the prevention programmes the rules protect, and releases money by "
    "decommissioning four services the workshop judged of low value. Reablement and the healthy weight "
    "programme are funded at half scale for the first year, to be reviewed at the September board."
)
DECISION_NOTES = {
    "Frailty virtual ward": "Highest agreed score for population health; the frailty need has the highest priority.",
    "Urgent community response seven days a week": "Left out: the falls response car and virtual ward meet most of the same need for less.",
    "Close the Millbrook day centre": "Decommissioned after the consultation; the community connectors take on its users.",
}


# --- building the plan --------------------------------------------------------------------


def demo_plan() -> tuple[PlanData, pd.DataFrame]:
    """The Riverside plan's records and its workshop's individual scores (one row per score)."""
    scores = _individual_scores()
    plan = PlanData(
        info=INFO,
        partners=PARTNERS,
        funding_streams=_funding_streams(),
        needs=NEEDS,
        indicators=_indicators(),
        population=_population(),
        values=_values(),
        options=OPTIONS,
        participants=tuple(Participant(*row) for row in _PARTICIPANTS),
        declarations=DECLARATIONS,
        meetings=(MEETING,),
        agreed_scores=_agreed_scores(scores),
        weight_sets=_weight_sets(),
        rules=RULES,
        scenarios=SCENARIOS,
    )
    return plan, _score_frame(scores)


def write_demo_plan(path: Path) -> None:
    """Create the demo plan at ``path`` in one audited change, then put the workshop's decision on
    the record against a stored result."""
    from placeplanner.service import PlanService

    plan, scores = demo_plan()
    service = PlanService.create(path, plan.info, actor="PlacePlanner demo")
    try:
        service.apply(plan, take_info=True, scores_in=scores, action="demo", source="Riverside demo")
        _record_decision(service)
    finally:
        service.close()


def _record_decision(service: PlanService) -> None:
    """The workshop's decision: the optimal portfolio on the agreed scores, adopted on the record."""
    from placeplanner.service.allocation import solve_plan
    from placeplanner.service.decisions import adopt

    report = solve_plan(service)
    if report.snapshot_id is None or not report.allocation.has_portfolio:
        raise RuntimeError("the demo plan has no portfolio to decide on")
    adopt(service, result_id=report.snapshot_id, meeting=WORKSHOP, title=DECISION_TITLE, rationale=DECISION_RATIONALE,
          option_notes=DECISION_NOTES)


def _funding_streams() -> tuple[FundingStream, ...]:
    return tuple(
        FundingStream(name, partner, ((FIRST_YEAR, float(first)), (SECOND_YEAR, float(second))), unit, ring_fence)
        for name, partner, first, second, unit, ring_fence in _STREAMS
    )


def _indicators() -> tuple[Indicator, ...]:
    place = tuple(
        Indicator(name, AREA_CODE, period, float(value), need=need, area_name=PLACE, sex=sex, age=age,
                  unit=unit, compared=compared, source=_FINGERTIPS)
        for need, name, period, sex, age, value, unit, compared in _INDICATORS
    )
    england = tuple(
        Indicator(name, ENGLAND_CODE, period, float(_ENGLAND[name]), need=need, area_name="England", sex=sex, age=age,
                  unit=unit, source=_FINGERTIPS)
        for need, name, period, sex, age, _value, unit, _compared in _INDICATORS
    )
    return place + england


def _population() -> tuple[Population, ...]:
    return tuple(Population(AREA_CODE, PLACE, 2025, sex, "all", float(count)) for sex, count in _POPULATION)


def _values() -> tuple[Value, ...]:
    return tuple(
        Value(name, float(weight), 0.0, 10.0, description,
              (ScalePoint(0.0, low), ScalePoint(5.0, middle), ScalePoint(10.0, high)))
        for name, weight, description, low, middle, high in _VALUES
    )


def _weight_sets() -> tuple[WeightSet, ...]:
    group = WeightSet("Agreed group weights", WeightSetKind.GROUP, tuple((v.name, v.weight) for v in _values()))
    partners = tuple(
        WeightSet(f"{short} weights", WeightSetKind.PARTNER,
                  tuple(zip(VALUE_NAMES, map(float, weights), strict=True)), owner=owner)
        for owner, short, weights in _PARTNER_WEIGHTS
    )
    return (group, *partners)


def _recused() -> set[tuple[str, str]]:
    recused = [d for d in DECLARATIONS if d.action == DeclarationAction.RECUSED]
    return set(conflicted_pairs(recused, lead_partners(OPTIONS)))


def _individual_scores() -> list[IndividualScore]:
    """Each participant's scores in the workshop: the agreed profile, their organisation's
    leaning and some honest noise, rounded to the 0 to 10 scale; now and then "don't know"."""
    rng = random.Random(SEED)  # noqa: S311 - a repeatable demo, not security
    recused = _recused()
    scores: list[IndividualScore] = []
    for round_number, (option, spread, leanings) in enumerate(_WORKSHOP_ROUNDS):
        lean = dict(leanings)
        opened = _WORKSHOP_START + timedelta(minutes=_MINUTES_PER_ROUND * round_number)
        for seat, (person, organisation, _role) in enumerate(_PARTICIPANTS):
            if (person, option) in recused:
                continue
            scored_at = opened + timedelta(seconds=40 + 9 * seat + rng.randint(0, 50))
            for value, centre in zip(VALUE_NAMES, _PROFILES[option], strict=True):
                unsure = 0.3 if organisation == HEALTHWATCH and value in {VFM, DELIVERY} else 0.03
                score: float | None = None
                if rng.random() >= unsure:
                    raw = centre + lean.get(organisation, 0.0) + rng.gauss(0.0, spread)
                    score = float(min(10, max(0, round(raw))))
                confidence = rng.choice((0.5, 0.7, 0.9)) if rng.random() < 0.35 else None
                comment = _COMMENTS.get((person, option, value), "")
                scores.append(IndividualScore(WORKSHOP, person, option, value, score, confidence, comment, scored_at))
    missing = set(_COMMENTS) - {(s.participant, s.option, s.value) for s in scores}
    if missing:
        raise ValueError(f"demo comments on scores that were not given: {sorted(missing)}")
    return scores


def _agreed_scores(scores: list[IndividualScore]) -> tuple[AgreedScore, ...]:
    """The workshop's options agreed at the median of the room; the rest as the analysts scored them."""
    given: dict[tuple[str, str], list[float]] = {}
    for s in scores:
        if s.score is not None:
            given.setdefault((s.option, s.value), []).append(s.score)
    agreed: list[AgreedScore] = []
    for option in OPTIONS:
        for value, profile_score in zip(VALUE_NAMES, _PROFILES[option.name], strict=True):
            room = given.get((option.name, value))
            score = float(profile_score)
            rationale = _RATIONALES.get((option.name, value), "")
            if room:
                score = float(math.floor(statistics.median(room) + 0.5))
                # Agreeing needs a rationale; the demo's words follow the projector's flag.
                if not rationale and is_wide(room, 0.0, 10.0):
                    rationale = (f"Wide spread ({min(room):g} to {max(room):g}); agreed at the median after "
                                 "discussion.")
                elif not rationale:
                    lower, _, upper = statistics.quantiles(room, n=4, method="inclusive") if len(room) > 1 else room * 3
                    rationale = (f"The room broadly agreed (the middle half of {len(room)} scores ran from "
                                 f"{lower:g} to {upper:g}); agreed at its median.")
            agreed.append(AgreedScore(option.name, value, score, rationale, WORKSHOP))
    return tuple(agreed)


def _score_frame(scores: list[IndividualScore]) -> pd.DataFrame:
    import pandas as pd

    frame = pd.DataFrame(
        {
            "meeting": [s.meeting for s in scores],
            "participant": [s.participant for s in scores],
            "option": [s.option for s in scores],
            "value": [s.value for s in scores],
            "score": [math.nan if s.score is None else s.score for s in scores],
            "confidence": [math.nan if s.confidence is None else s.confidence for s in scores],
            "comment": [s.comment for s in scores],
            "scored_at": pd.to_datetime([s.scored_at or _WORKSHOP_START for s in scores]),
        }
    )
    return frame.astype({"score": "float64", "confidence": "float64"})
