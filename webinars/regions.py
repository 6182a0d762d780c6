"""Country → world region (UN M49 macro-regions, with the Americas split in two).

Used only for aggregate counts on the committee's participation page.
"""

from webinars.enums import Region

_CODES = {
    Region.AFRICA: (
        "DZ AO BJ BW BF BI CV CM CF TD KM CG CD CI DJ EG GQ ER SZ ET GA GM GH GN GW KE LS "
        "LR LY MG MW ML MR MU YT MA MZ NA NE NG RE RW SH ST SN SC SL SO ZA SS SD TZ TG TN "
        "UG EH ZM ZW IO TF"
    ),
    Region.NORTHERN_AMERICA: "US CA BM GL PM UM",
    Region.LATIN_AMERICA: (
        "AI AG AR AW BS BB BZ BO BQ BR VG KY CL CO CR CU CW DM DO EC SV FK GF GD GP GT GY "
        "HT HN JM MQ MX MS NI PA PY PE PR BL KN LC MF VC SX SR TT TC UY VE VI BV GS"
    ),
    Region.ASIA: (
        "AF AM AZ BH BD BT BN KH CN CY GE HK IN ID IR IQ IL JP JO KZ KW KG LA LB MO MY MV "
        "MN MM NP KP OM PK PS PH QA SA SG KR LK SY TW TJ TH TL TR TM AE UZ VN YE"
    ),
    Region.EUROPE: (
        "AX AL AD AT BY BE BA BG HR CZ DK EE FO FI FR DE GI GR GG VA HU IS IE IM IT JE XK "
        "LV LI LT LU MT MD MC ME NL MK NO PL PT RO RU SM RS SK SI ES SJ SE CH UA GB"
    ),
    Region.OCEANIA: (
        "AS AU CX CC CK FJ PF GU HM KI MH FM NR NC NZ NU NF MP PW PG PN WS SB TK TO TV VU WF"
    ),
}

COUNTRY_REGION: dict[str, str] = {
    code: region for region, codes in _CODES.items() for code in codes.split()
}


def region_of(country_code: str | None) -> str:
    return COUNTRY_REGION.get((country_code or "").upper(), Region.UNKNOWN)
