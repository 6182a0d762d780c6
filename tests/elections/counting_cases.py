"""What the counting tests share: the published seed, the tie rules, and ballot shorthands."""

from decimal import Decimal

from elections.counting.results import CountResult
from elections.counting.ties import TieBreak, TieRule

SEED = "GDS fall 2020 count, read out by the chair"
LOT = TieBreak(TieRule.LOT, SEED)
LOOK_BACK = TieBreak(TieRule.BACKWARDS_THEN_LOT, SEED)
SEEDS = [f"seed {n}" for n in range(24)]


def ballots_from(profile: dict[str, int]) -> list[tuple[str, ...]]:
    """{"ABC": 3} -> three ballots ranking A, then B, then C (one letter per candidate)."""
    return [tuple(ranking) for ranking, papers in profile.items() for _ in range(papers)]


def tallies_of(result: CountResult) -> list[dict[str, object]]:
    return [dict(one.tallies) for one in result.rounds]


def dec(value: str) -> Decimal:
    return Decimal(value)


# Renfrewshire Council, Scottish local government election of 4 May 2017, Ward 11
# (Bishopton, Bridge of Weir and Langbank), 3 seats, counted under the Scottish Local
# Government Elections Order 2011, whose STV counting rules are those of the 2007 Order.
# Ballots: the council's published preference profile (every sequence of preferences and
# how many voters marked it, published since 2012 under rule 56(c)(va) of that Order);
# the copy used is mggg/scot-elex 5_cands/renfrewshire_2017_ward11.csv. Expected stages:
# the council's official result sheet (valid poll 5613, quota 1404), as transcribed in
# gerrymulvenna/council17 2017/SCO/renfrewshire/S13003085/ResultsJson.json.
# Letters: D Natalie Don, H Elliot Alexander Harrison, F Ellen Hoefer-Franz,
# M James MacLaren, C Colin McCulloch. "372 D" = 372 ballots ranking Don only.
WARD_11 = """
    372 D  23 DH  36 DHF  1 DHFM  12 DHFMC  2 DHFC  32 DHFCM  11 DHM  1 DHMF  5 DHMFC
    2 DHMC  2 DHMCF  13 DHC  3 DHCF  13 DHCFM  3 DHCMF  276 DF  97 DFH  21 DFHMC  25 DFHC
    156 DFHCM  19 DFM  2 DFMH  11 DFMHC  5 DFMCH  95 DFC  12 DFCH  88 DFCHM  6 DFCMH  31 DM
    13 DMH  2 DMHF  8 DMHFC  10 DMHCF  11 DMF  4 DMFHC  1 DMFCH  19 DMC  1 DMCH  9 DMCHF
    8 DMCFH  68 DC  27 DCH  8 DCHF  32 DCHFM  6 DCHMF  72 DCF  9 DCFH  56 DCFHM  6 DCFMH
    26 DCM  3 DCMH  4 DCMHF  5 DCMFH  35 H  2 HD  5 HDF  1 HDFM  1 HDFMC  1 HDFC
    4 HDFCM  2 HDM  1 HDMCF  3 HDC  1 HDCF  2 HDCFM  2 HDCMF  10 HF  6 HFD  1 HFDMC
    2 HFDCM  3 HFM  2 HFMC  3 HFMCD  8 HFC  1 HFCD  1 HFCDM  3 HFCMD  7 HM  2 HMD
    1 HMDCF  10 HMF  3 HMFDC  1 HMFCD  19 HMC  2 HMCDF  7 HMCFD  16 HC  4 HCD  1 HCDFM
    7 HCF  1 HCFD  3 HCFDM  1 HCFM  5 HCFMD  12 HCM  1 HCMDF  2 HCMF  7 HCMFD  21 F
    20 FD  11 FDH  1 FDHC  10 FDHCM  3 FDM  2 FDMHC  1 FDMCH  14 FDC  6 FDCH  9 FDCHM
    2 FDCMH  3 FH  6 FHD  4 FHDCM  1 FHM  3 FHMDC  2 FHMCD  4 FHC  1 FHCD  3 FHCDM
    4 FHCMD  1 FM  4 FMD  1 FMDCH  2 FMH  2 FMC  1 FMCDH  2 FMCHD  1 FC  6 FCD
    1 FCDH  3 FCDHM  2 FCDMH  5 FCH  3 FCHDM  3 FCHMD  2 FCM  948 M  41 MD  24 MDH
    1 MDHF  5 MDHFC  11 MDHCF  13 MDF  2 MDFH  8 MDFHC  4 MDFCH  28 MDC  18 MDCHF  5 MDCFH
    187 MH  21 MHD  6 MHDFC  8 MHDCF  75 MHF  9 MHFDC  1 MHFC  42 MHFCD  237 MHC  3 MHCD
    12 MHCDF  8 MHCF  74 MHCFD  19 MF  11 MFD  2 MFDHC  1 MFDCH  29 MFH  6 MFHDC  4 MFHC
    18 MFHCD  8 MFC  2 MFCH  8 MFCHD  169 MC  24 MCD  17 MCDHF  1 MCDFH  271 MCH  1 MCHD
    14 MCHDF  22 MCHF  100 MCHFD  12 MCF  4 MCFH  18 MCFHD  215 C  34 CD  28 CDH  2 CDHF
    15 CDHFM  10 CDHMF  20 CDF  2 CDFH  14 CDFHM  3 CDFMH  15 CDM  1 CDMH  7 CDMHF  5 CDMFH
    53 CH  5 CHD  1 CHDF  7 CHDFM  2 CHDMF  42 CHF  1 CHFD  9 CHFDM  2 CHFM  19 CHFMD
    29 CHM  4 CHMDF  6 CHMF  17 CHMFD  23 CF  15 CFD  2 CFDH  11 CFDHM  2 CFDMH  30 CFH
    3 CFHD  8 CFHDM  3 CFHM  8 CFHMD  5 CFM  1 CFMDH  2 CFMHD  48 CM  15 CMD  1 CMDH
    1 CMDHF  2 CMDFH  79 CMH  6 CMHDF  7 CMHF  33 CMHFD  9 CMF  2 CMFDH  7 CMFH  5 CMFHD
"""
WARD_11_CANDIDATES = ["D", "H", "F", "M", "C"]


def ward_11() -> list[tuple[str, ...]]:
    counts = WARD_11.split()
    return ballots_from(dict(zip(counts[1::2], map(int, counts[::2]), strict=True)))


# Wikipedia, "Instant-runoff voting", the Tennessee capital example: voters rank the four
# cities by nearness; 42% live near Memphis, 26% Nashville, 15% Chattanooga, 17% Knoxville.
TENNESSEE = {"MNCK": 42, "NCKM": 26, "CKNM": 15, "KCNM": 17}
