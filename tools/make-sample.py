#!/usr/bin/env python3
"""Write the fictional Northshire County Council sample into input/sample/.

Deterministic: no randomness and no clock, so running it twice gives the
same bytes. Every figure is derived from the table below: a measure's value
at the pack's quarter (2023/24 Q3) is written down directly and earlier
quarters step back from it, so the RAG mix of the sample is chosen here
rather than falling out of arithmetic.

Usage: python3 tools/make-sample.py [outdir]   (default input/sample)
"""
import csv
import os
import sys
from decimal import Decimal as D, ROUND_HALF_UP

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "input", "sample")

# Quarters 2021/22 Q1 … 2023/24 Q3: index 0..10, the last is the pack's.
QUARTERS = [(fy, q) for fy in (2021, 2022, 2023) for q in (1, 2, 3, 4)][:11]
LAST = len(QUARTERS) - 1
# Seasonal wobble by quarter; Q3 is 0 so the pack's value is exact.
WOB = {1: D("0.5"), 2: D("-0.3"), 3: D("0"), 4: D("0.4")}

HC, CF, EIS, CORP = ("Health and Care", "Children and Families",
                     "Economy, Infrastructure and Skills", "Corporate")

DEFAULT_DEC = {"count": 0, "percent": 1, "gbp": 0, "rate": 1, "days": 1,
               "number": 0}


def fy_text(fy):
    return "%d/%02d" % (fy, (fy + 1) % 100)


def q_text(fy, q):
    return "%s Q%d" % (fy_text(fy), q)


def m(id, title, area, unit, pol, latest, step, target=None, *, label="",
      tol="", annual="", dec="", wob=0, nat=None, reg=None, cstep=0,
      advance=False, spell=None, thousands=False, pct=False):
    """One measure. latest: value at 2023/24 Q3; step: change per quarter
    (earlier quarters are latest - step * quarters_back + wobble); target:
    one figure or a {fy: figure} map; nat/reg: comparators at the latest
    quarter, drifting by cstep per quarter; advance: also write a 2023/24 Q4
    row carrying only the target (set in advance, must be ignored)."""
    return dict(id=id, title=title, area=area, unit=unit, pol=pol,
                latest=D(str(latest)), step=D(str(step)), target=target,
                label=label, tol=tol, annual=annual, dec=dec,
                wob=D(str(wob)), nat=nat, reg=reg, cstep=D(str(cstep)),
                advance=advance, spell=spell or {}, thousands=thousands,
                pct=pct)


# RAG at 2023/24 Q3 is noted after each rated measure (default tolerance 5%).
MEASURES = [
    # ---- Health and Care
    m("DELAYED_DISCHARGE", "People delayed in hospital awaiting discharge (daily average)",
      HC, "number", "lower", "43.0", "-0.6", 45, label="people per day",
      annual="mean", dec="1", wob=2),                                  # green
    m("CQC_GOOD", "Care providers rated good or outstanding by CQC", HC,
      "percent", "higher", "85.3", "0.3", 85, annual="mean", wob=0.4,
      nat="83.0", reg="81.6", cstep="0.1", pct=True),                  # green
    m("OBESITY_Y6", "Year 6 children living with obesity", HC, "percent",
      "lower", "22.9", "0.1", 22, label="% of Year 6 children, rolling 12 months",
      annual="mean", wob=0.2, nat="22.7", reg="23.1", cstep="0.05"),   # amber
    m("REABLEMENT_91", "Older people still at home 91 days after reablement",
      HC, "percent", "higher", "83.5", "0.2", 82, annual="mean", wob=1,
      nat="82.1", reg="81.4", advance=True),                           # green
    m("ADULT_REVIEWS", "People with care packages reviewed in the last 12 months",
      HC, "percent", "higher", "71.0", "-0.4", 80, annual="last", wob=1.5,
      advance=True),                                                   # red
    m("SMOKING_QUIT", "People who quit smoking at four weeks", HC, "count",
      "higher", "450", "4", 450, annual="sum", wob=30),                # green (on target)
    m("OP_CARE", "Older people receiving a care package", HC, "count", "none",
      "4812", "21", label="people aged 65 and over", annual="last", wob=40,
      thousands=True),                                                 # monitored
    # ---- Children and Families
    m("EHCP_TOTAL", "Education, Health and Care Plans in place", CF, "count",
      "none", "6842", "118", label="children and young people", annual="last",
      thousands=True),                                                 # monitored
    m("EHCP_20WK", "EHC plans issued within 20 weeks", CF, "percent", "higher",
      "52.3", "-0.8", 60, annual="mean", wob=3, nat="50.2", reg="45.1",
      cstep="-0.6", advance=True,
      spell={(2021, 4): {"national": ".."}}),                          # red
    m("CIC_RATE", "Children in care", CF, "rate", "lower", "63.8", "0.3",
      {2021: 60, 2022: 61, 2023: 62}, label="per 10,000 children",
      annual="mean", wob=0.6, nat="70.0", reg="66.4", cstep="0.2",
      spell={(2021, 2): {"regional": "x"}}),                           # amber
    m("SW_VACANCY", "Children's social worker vacancy rate", CF, "percent",
      "lower", "13.5", "-0.25", 12, tol="2", annual="mean", wob=1,
      nat="17.1", reg="15.9"),                                         # amber (absolute 2)
    m("CL_EET", "Care leavers in education, employment or training", CF,
      "percent", "higher", "61.5", "0.5", 60, annual="mean", wob=2,
      nat="55.0", reg="54.0"),                                         # green
    m("FOSTER_INHOUSE", "Children in care placed with the council's own foster carers",
      CF, "percent", "higher", "41.0", "-0.3", 45, annual="mean", wob=0.5), # red
    m("CP_REPEAT", "Child protection plans that are repeats within two years",
      CF, "percent", "lower", "18.2", "-0.2", 20, annual="mean", wob=1,
      nat="23.3", reg="21.8"),                                         # green
    m("EARLY_HELP", "Families supported by early help", CF, "count", "higher",
      "1128", "9", label="families", annual="sum", wob=60, thousands=True,
      spell={(2021, 2): {"value": ".."}}),                             # no target
    # ---- Economy, Infrastructure and Skills
    m("POTHOLES_CAT1", "Category 1 potholes repaired", EIS, "count", "higher",
      "1342", "15", 1200, annual="sum", wob=150, thousands=True,
      advance=True),                                                   # green
    m("POTHOLES_CAT3", "Category 3 potholes repaired", EIS, "count", "higher",
      "3870", "20", 4000, annual="sum", wob=300, thousands=True),      # amber
    m("VISITS", "Visits to the county", EIS, "count", "higher", "2614000",
      "15000", 2500000, label="day and staying visits", tol="10%",
      annual="sum", wob=400000, thousands=True),                       # green
    m("CARBON", "Council carbon emissions", EIS, "number", "lower", "3950",
      "-40", {2021: 4600, 2022: 4350, 2023: 4100},
      label="tonnes CO\u2082e", annual="sum", dec="0", wob=300),       # green
    m("LIBRARY_VISITS", "Library visits", EIS, "count", "higher", "201000",
      "1500", 210000, annual="sum", wob=12000, thousands=True,
      spell={(2023, 3): {"value": ""}}),                               # missing
    m("BROADBAND", "Premises with gigabit-capable broadband", EIS, "percent",
      "higher", "76.8", "2.1", {2021: 55, 2022: 65, 2023: 75},
      annual="last", nat="78.0", reg="71.2", cstep="1.6"),             # green
    m("APPRENTICESHIPS", "Apprenticeship starts", EIS, "count", "higher",
      "812", "-3", 900, annual="sum", wob=80),                         # red
    m("PLANNING_MAJOR", "Major planning applications decided in time", EIS,
      "percent", "higher", "88.0", "0.4", 60, annual="mean", wob=2,
      nat="88.0", reg="86.9"),                                         # green
    m("RECYCLING", "Household waste reused, recycled or composted", EIS,
      "percent", "higher", "55.8", "0.15", 55, annual="mean", wob=3,
      nat="42.1", reg="44.6"),                                         # green
    # ---- Corporate
    m("CTAX_COLLECT", "Council tax collected (in-year, cumulative)", CORP,
      "percent", "higher", "84.1", "0", None, tol="3%", annual="last"),  # amber
    m("FOI_ONTIME", "Freedom of information requests answered within 20 working days",
      CORP, "percent", "higher", "91.2", "0.3", 90, annual="mean", wob=2), # green
    m("COMPLAINTS_ONTIME", "Complaints answered on time", CORP, "percent",
      "higher", "78.3", "-0.5", 85, annual="mean", wob=2),             # red
    m("SICKNESS", "Staff sickness absence", CORP, "days", "lower", "9.3",
      "0.05", 9, label="days per full-time employee, rolling 12 months",
      annual="last", dec="1", wob=0.3),                                # amber
    m("DEBT_OUTSTANDING", "Outstanding sundry debt over 90 days", CORP, "gbp",
      "lower", "13250000", "-150000", 14000000, label="£", annual="last",
      wob=400000),                                                     # green
    m("STAFF_TURNOVER", "Staff turnover", CORP, "percent", "lower", "11.4",
      "-0.1", 12, label="% of employees leaving, rolling 12 months",
      annual="mean", wob=0.3),                                         # green
    m("INVOICES_30D", "Supplier invoices paid within 30 days", CORP,
      "percent", "higher", "96.2", "0.1", 95, annual="mean", wob=0.8),  # green
]

# Whole-year-only measures: {fy: (value, target, national, regional)}.
YEARLY = [
    (dict(id="BUS_STARTUP", title="Business start-up rate", area=EIS,
          unit="rate", label="per 10,000 adults", pol="higher", tol="",
          annual="", dec=""),
     {2020: ("47.1", "50", "55.2", "46.8"), 2021: ("48.9", "50", "56.0", "47.9"),
      2022: ("48.2", "50", "54.1", "47.5")}),                          # amber
    (dict(id="SCHOOL_READY", title="Children with a good level of development at age five",
          area=CF, unit="percent", label="", pol="higher", tol="",
          annual="", dec=""),
     {2021: ("64.9", "66", "65.2", "63.8"), 2022: ("67.4", "67", "67.2", "66.0")}),  # green
]

# Council tax is collected through the year, so its target is cumulative.
CTAX_TARGET = {1: "29.0", 2: "57.0", 3: "84.5", 4: "97.8"}
CTAX_VALUE = {(2021, 1): "28.9", (2021, 2): "56.8", (2021, 3): "84.6", (2021, 4): "97.9",
              (2022, 1): "29.1", (2022, 2): "56.7", (2022, 3): "84.3", (2022, 4): "97.6",
              (2023, 1): "28.6", (2023, 2): "56.4", (2023, 3): "84.1"}

# Year 6 obesity by district at 2023/24 Q3, drifting like the county.
DISTRICTS = [("Northmere", "21.4"), ("Elmstead Downs", "19.8"),
             ("Harwick", "26.1"), ("Kelsey Fields", "24.7"),
             ("Saltcombe", None), ("West Thorne", "22.2")]
# Debt by debtor type at 2023/24 Q3.
DEBT_SPLIT = [("Health partners", D("7980000")), ("Other", D("5270000"))]

# Spellings a plausible export mixes in (the contract accepts all of them).
PERIOD_SPELL = {("CARBON", 2023, 1): "2023-24 Q1",
                ("POTHOLES_CAT1", 2022, 2): "Q2 2022/23",
                ("BROADBAND", 2023, 3): "2023/24 Quarter 3"}


def quant(x, dec):
    return x.quantize(D(1).scaleb(-dec), rounding=ROUND_HALF_UP)


def fmt(x, dec, thousands=False, pct=False, money=False):
    x = quant(x, dec)
    s = ("{:,.%df}" if thousands or money else "{:.%df}") % dec
    s = s.format(x)
    if money:
        s = "\u00a3" + s
    return s + ("%" if pct else "")


def target_for(meas, fy, q):
    t = meas["target"]
    if meas["id"] == "CTAX_COLLECT":
        return D(CTAX_TARGET[q])
    if t is None:
        return None
    if isinstance(t, dict):
        return D(str(t[fy]))
    return D(str(t))


def series_value(meas, i, q, base=None):
    base = meas["latest"] if base is None else base
    back = LAST - i
    return base - meas["step"] * back + WOB[q] * meas["wob"]


def write(path, header, rows, bom=False):
    with open(path, "w", newline="", encoding="utf-8") as f:
        if bom:
            f.write("\ufeff")
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


# Tags choose measures for scrutiny committees' packs across service areas
# (templates/*-scrutiny.yaml); measures without a tag leave the cell empty.
TAGS = {"POTHOLES_CAT1": "highways", "POTHOLES_CAT3": "highways",
        "BUS_STARTUP": "highways;economy", "CARBON": "environment",
        "RECYCLING": "environment;waste", "SICKNESS": "workforce",
        "STAFF_TURNOVER": "workforce", "SW_VACANCY": "workforce;children"}


# Year-to-date figures that reset each April (`cumulative: yes`): compared
# with the same quarter a year earlier only, a year's figure is its Q4.
CUMULATIVE = {"CTAX_COLLECT"}


def measures_csv():
    rows = []
    for meas in MEASURES:
        rows.append([meas["id"], meas["title"], meas["area"], meas["unit"],
                     meas["label"], meas["pol"], meas["tol"], meas["annual"],
                     meas["dec"], "yes" if meas["id"] in CUMULATIVE else "",
                     TAGS.get(meas["id"], "")])
    for meas, _ in YEARLY:
        rows.append([meas["id"], meas["title"], meas["area"], meas["unit"],
                     meas["label"], meas["pol"], meas["tol"], meas["annual"],
                     meas["dec"], "", TAGS.get(meas["id"], "")])
    # Area order here is the order of sections in the pack.
    order = [HC, CF, EIS, CORP]
    rows.sort(key=lambda r: order.index(r[2]))
    write(os.path.join(OUT, "measures.csv"),
          ["id", "title", "service_area", "unit", "unit_label", "polarity",
           "tolerance", "annual", "decimals", "cumulative", "tags"], rows)


def kpi_csv():
    rows = []

    def cell(meas, x, dec):
        if x is None:
            return ""
        if meas["unit"] == "gbp":
            return fmt(x, 0, money=True)
        return fmt(x, dec, thousands=meas["thousands"], pct=meas["pct"])

    for meas in MEASURES:
        dec = int(meas["dec"]) if meas["dec"] else DEFAULT_DEC[meas["unit"]]
        for i, (fy, q) in enumerate(QUARTERS):
            per = PERIOD_SPELL.get((meas["id"], fy, q), q_text(fy, q))
            if meas["id"] == "CTAX_COLLECT":
                v = D(CTAX_VALUE[(fy, q)])
            else:
                v = series_value(meas, i, q)
            t = target_for(meas, fy, q)
            back = LAST - i
            nat = (D(meas["nat"]) - meas["cstep"] * back) if meas["nat"] else None
            reg = (D(meas["reg"]) - meas["cstep"] * back) if meas["reg"] else None
            row = {"value": cell(meas, v, dec), "target": cell(meas, t, dec),
                   "national": cell(meas, nat, dec),
                   "regional": cell(meas, reg, dec)}
            row.update(meas["spell"].get((fy, q), {}))
            rows.append([meas["id"], per, row["value"], row["target"],
                         row["national"], row["regional"], ""])
            if meas["id"] == "OBESITY_Y6":
                shift = v - meas["latest"]
                for name, latest in DISTRICTS:
                    if latest is None:
                        # Too few children measured to publish this quarter.
                        dv = "[c]" if (fy, q) == (2023, 3) else cell(
                            meas, D("18.9") + shift, dec)
                    else:
                        dv = cell(meas, D(latest) + shift, dec)
                    rows.append([meas["id"], per, dv, cell(meas, t, dec), "",
                                 "", name])
            if meas["id"] == "DEBT_OUTSTANDING":
                share = v / meas["latest"]
                for name, part in DEBT_SPLIT:
                    rows.append([meas["id"], per,
                                 cell(meas, (part * share).quantize(D(1000)), 0),
                                 "", "", "", name])
        if meas["advance"]:
            rows.append([meas["id"], q_text(2023, 4), "",
                         cell(meas, target_for(meas, 2023, 4), dec), "", "", ""])
    for meas, years in YEARLY:
        for fy in sorted(years):
            v, t, n, r = years[fy]
            rows.append([meas["id"], fy_text(fy), v, t, n, r, ""])
    write(os.path.join(OUT, "kpi.csv"),
          ["measure", "period", "value", "target", "national", "regional",
           "breakdown"], rows)


# Net budget (£m) per year and the variance (£, + = overspend) per quarter.
BUDGET = {HC: {2021: "215.6", 2022: "226.8", 2023: "240.4"},
          CF: {2021: "148.9", 2022: "158.7", 2023: "170.3"},
          EIS: {2021: "101.2", 2022: "105.4", 2023: "109.8"},
          CORP: {2021: "74.3", 2022: "77.1", 2023: "79.7"}}
VARIANCE = {
    HC: {2021: [1200000, 1650000, 1410000, 980300], 2022: [2100000, 2780000, 2455000, 2301700],
         2023: [3104000, 2902300, 2153400]},
    CF: {2021: [2300000, 2910000, 3120000, 3388500], 2022: [3500000, 3940000, 4205000, 4410200],
         2023: [4200000, 4851600, 4618200]},
    EIS: {2021: [150000, -120000, -340000, -512600], 2022: [300000, 104000, -210000, -287900],
          2023: [200000, -361500, -478900]},
    CORP: {2021: [-400000, -610000, -880000, -1104400], 2022: [-500000, -720000, -910000, -1032600],
           2023: [-600000, -992400, -892700]},
}
SAVINGS_TARGET = {HC: {2021: "3.9", 2022: "4.2", 2023: "4.5"},
                  CF: {2021: "2.6", 2022: "2.9", 2023: "3.2"},
                  EIS: {2021: "1.8", 2022: "2.0", 2023: "2.1"},
                  CORP: {2021: "1.2", 2022: "1.4", 2023: "1.5"}}
# Savings forecast to be delivered, by quarter (£m).
SAVINGS_FORECAST = {
    HC: {2021: ["3.9", "3.7", "3.6", "3.55"], 2022: ["4.2", "4.0", "3.9", "3.82"], 2023: ["4.5", "4.1", "3.85"]},
    CF: {2021: ["2.6", "2.5", "2.4", "2.38"], 2022: ["2.9", "2.7", "2.6", "2.55"], 2023: ["3.2", "2.8", "2.55"]},
    EIS: {2021: ["1.8", "1.8", "1.75", "1.76"], 2022: ["2.0", "2.0", "1.95", "1.97"], 2023: ["2.1", "2.0", "1.95"]},
    CORP: {2021: ["1.2", "1.2", "1.2", "1.21"], 2022: ["1.4", "1.4", "1.35", "1.38"], 2023: ["1.5", "1.5", "1.45"]},
}


def finance_csv():
    rows = []
    for fy, q in QUARTERS:
        for area in (HC, CF, EIS, CORP):
            budget = D(BUDGET[area][fy]) * 1000000
            fc = budget + VARIANCE[area][fy][q - 1]
            st = D(SAVINGS_TARGET[area][fy]) * 1000000
            sf = D(SAVINGS_FORECAST[area][fy][q - 1]) * 1000000
            if (fy, q) == (2023, 3):
                # The latest quarter as the finance system exports it:
                # pounds with a sign and separators; savings in £m.
                row = [fmt(budget, 0, money=True), fmt(fc, 0, money=True),
                       "\u00a3%sm" % SAVINGS_TARGET[area][fy],
                       "\u00a3%sm" % SAVINGS_FORECAST[area][fy][q - 1]]
                if area == CORP:
                    # Corporate's savings forecast was not reported this
                    # quarter: savings totals leave Corporate out, by name.
                    row[3] = "x"
            else:
                row = [str(quant(budget, 0)), str(quant(fc, 0)),
                       str(quant(st, 0)), str(quant(sf, 0))]
            rows.append([area, q_text(fy, q)] + row)
    write(os.path.join(OUT, "finance.csv"),
          ["service_area", "period", "budget", "forecast", "savings_target",
           "savings_forecast"], rows)


COMMENTARY = [
    ("overall", (2023, 2),
     "At the half-year the council forecast an overspend of £6.4m, driven by "
     "demand for children’s placements and adult social care."),
    ("overall", (2023, 3),
     "The council’s overall position has improved slightly since Quarter 2. "
     "Most measures are on target, but pressures remain in children’s "
     "services, where demand for education, health and care plans and for "
     "placements continues to grow faster than the budget assumed.\n"
     "The forecast overspend has fallen as recruitment to vacant posts in "
     "adult social care has reduced the use of agency staff, and as "
     "one-off underspends in Corporate services and highways have been "
     "confirmed. Spending controls introduced in September remain in place "
     "until the end of the financial year.\n"
     "Officers will bring a revised savings plan for 2024/25 – including "
     "the £1.5m of this year’s savings not expected to be delivered – to "
     "the February meeting."),
    (HC, (2023, 3),
     "Reablement continues to perform well: more older people are still "
     "living at home 91 days after leaving hospital than the target and the "
     "national average.\n"
     "Reviews of care packages are behind plan because reviewing officers "
     "were redeployed to support hospital discharge over the autumn. A "
     "recovery plan aims to complete the backlog by June 2024."),
    (CF, (2023, 3),
     "Demand for education, health and care plans rose again this quarter, "
     "and timeliness remains below target, although above the regional "
     "average.\n"
     "The number of children in care per 10,000 is slightly above target. "
     "Placements with the council’s own foster carers have not kept pace, so "
     "more children are placed with independent agencies at higher cost – "
     "the main reason for the service’s £4.6m forecast overspend."),
    (EIS, (2023, 3),
     "Pothole repairs are ahead of target after the additional £2m highways "
     "investment agreed in July, and the county’s gigabit broadband coverage "
     "passed 75% for the first time.\n"
     "Apprenticeship starts remain below target, reflecting a national fall "
     "in starts. Library visit figures for the quarter are not available "
     "because of the replacement of the library management system."),
    (CORP, (2023, 3),
     "Council tax collection is slightly behind the cumulative profile; "
     "recovery action is under way and the year-end target is expected to "
     "be met.\n"
     "Complaints answered on time fell to 78.3% after a rise in complaints "
     "about school transport in September. Extra staff have been assigned to "
     "clear the backlog."),
    ("EHCP_20WK", (2023, 3),
     "The service issued 52.3% of new plans within 20 weeks, compared with "
     "a national average of 50.2%. Two additional educational psychologists "
     "start in January, which should reduce assessment waiting times."),
    ("CIC_RATE", (2023, 3),
     "The rate includes 38 unaccompanied asylum-seeking children placed "
     "under the National Transfer Scheme."),
    ("ADULT_REVIEWS", (2023, 3),
     "Reviewing officers were redeployed to hospital discharge from October "
     "to December. Two agency reviewers start in January and the backlog of "
     "overdue reviews is to be cleared by June 2024."),
    ("FOSTER_INHOUSE", (2023, 3),
     "Fewer new foster carers were approved than planned. A recruitment "
     "campaign with higher allowances began in November."),
    ("APPRENTICESHIPS", (2023, 3),
     "Starts fell nationally after the funding changes of August 2023; the "
     "county’s fall is in line with the region’s."),
    # COMPLAINTS_ONTIME is red with no commentary of its own: the pack
    # names it in the data-quality appendix and `ragpack check` warns.
]


def commentary_csv():
    rows = [[scope, q_text(*per), text] for scope, per, text in COMMENTARY]
    write(os.path.join(OUT, "commentary.csv"), ["scope", "period", "text"],
          rows, bom=True)


def main():
    os.makedirs(OUT, exist_ok=True)
    measures_csv()
    kpi_csv()
    finance_csv()
    commentary_csv()


if __name__ == "__main__":
    main()
