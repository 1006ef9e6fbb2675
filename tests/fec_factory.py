"""FEC files made to the specification (LPF art. A47 A-1) for the tests and the benchmark: a small book whose
figures are computed by hand below, and a large deterministic one written as a stream."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass

HEADER = (
    "JournalCode|JournalLib|EcritureNum|EcritureDate|CompteNum|CompteLib|CompAuxNum|CompAuxLib|PieceRef|"
    "PieceDate|EcritureLib|Debit|Credit|EcritureLet|DateLet|ValidDate|Montantdevise|Idevise"
)
SIGNED_HEADER = HEADER.replace("Debit|Credit", "Montant|Sens")
JOURNALS = {"AN": "À-nouveaux", "VE": "Ventes", "AC": "Achats", "BQ": "Banque", "OD": "Opérations diverses"}


@dataclass(frozen=True)
class Line:
    account: str
    label: str
    debit: int = 0  # cents
    credit: int = 0
    aux: str = ""
    aux_label: str = ""
    piece: str = ""
    piece_date: str = ""
    lettering: str = ""
    lettering_date: str = ""


def amount(cents: int) -> str:
    """`1234,56`: the FEC's decimal comma, no thousands separator."""
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100},{abs(cents) % 100:02d}"


def entry_lines(journal: str, number: str, date: str, lines: list[Line], piece: str, *, signed: bool = False) -> list[list[str]]:
    """The 18 fields of each line of an entry."""
    out = []
    for ln in lines:
        fields = [
            journal,
            JOURNALS[journal],
            number,
            date,
            ln.account,
            ln.label,
            ln.aux,
            ln.aux_label,
            ln.piece or piece,
            ln.piece_date or date,
            f"{JOURNALS[journal]} {ln.piece or piece}",
        ]
        if signed:
            fields += [amount(ln.debit or ln.credit), "D" if ln.debit else "C"]
        else:
            fields += [amount(ln.debit), amount(ln.credit)]
        fields += [ln.lettering, ln.lettering_date, date, "", ""]
        out.append(fields)
    return out


def fec_bytes(
    entries: list[tuple[str, str, str, list[Line]]],
    *,
    separator: str = "|",
    encoding: str = "utf-8",
    signed: bool = False,
    newline: str = "\n",
) -> bytes:
    """A whole FEC: entries are (journal, number, date AAAAMMJJ, lines)."""
    header = (SIGNED_HEADER if signed else HEADER).replace("|", separator)
    rows = [header]
    for journal, number, date, lines in entries:
        rows += [separator.join(f) for f in entry_lines(journal, number, date, lines, f"P{number}", signed=signed)]
    return (newline.join(rows) + newline).encode(encoding)


def K(euros: int) -> int:
    return euros * 100


# The book of a small cooperative for 2023, closed on 31/12/2023 (figures worked out in EXPECTED).
BOOK: list[tuple[str, str, str, list[Line]]] = [
    (
        "AN",
        "1",
        "20230101",
        [
            Line("101000", "Capital souscrit appelé versé", credit=K(100_000)),
            Line("106000", "Réserves", credit=K(20_000)),
            Line("119000", "Report à nouveau débiteur", debit=K(30_000)),
            Line("167500", "Prêts participatifs", credit=K(50_000)),
            Line("455000", "Associés, comptes courants", credit=K(25_000)),
            Line("512000", "Banque Crédit Coopératif", debit=K(165_000)),
        ],
    ),
    ("BQ", "2", "20230201", [Line("530000", "Caisse", debit=K(300)), Line("512000", "Banque", credit=K(300))]),
    (
        "VE",
        "3",
        "20230315",
        [
            Line(
                "411000",
                "Clients",
                debit=K(12_000),
                aux="C001",
                aux_label="Client Alpha",
                piece="F001",
                lettering="AA",
                lettering_date="20230415",
            ),
            Line("706000", "Prestations de services", credit=K(10_000), piece="F001"),
            Line("445710", "TVA collectée", credit=K(2_000), piece="F001"),
        ],
    ),
    (
        "BQ",
        "4",
        "20230415",
        [
            Line("512000", "Banque", debit=K(12_000), piece="F001"),
            Line(
                "411000",
                "Clients",
                credit=K(12_000),
                aux="C001",
                aux_label="Client Alpha",
                piece="F001",
                piece_date="20230315",
                lettering="AA",
                lettering_date="20230415",
            ),
        ],
    ),
    (
        "AC",
        "5",
        "20230610",
        [
            Line("607000", "Achats de marchandises", debit=K(3_000)),
            Line("445660", "TVA déductible", debit=K(600)),
            Line("401000", "Fournisseurs", credit=K(3_600), aux="S001", aux_label="Fournisseur Delta"),
        ],
    ),
    (
        "OD",
        "6",
        "20230630",
        [Line("641000", "Rémunérations", debit=K(8_000)), Line("421000", "Personnel, rémunérations dues", credit=K(8_000))],
    ),
    (
        "BQ",
        "7",
        "20230705",
        [Line("421000", "Personnel, rémunérations dues", debit=K(8_000)), Line("512000", "Banque", credit=K(8_000))],
    ),
    (
        "VE",
        "8",
        "20230801",
        [
            Line("411000", "Clients", debit=K(1_200), aux="C003", aux_label="Client Gamma", piece="F004"),
            Line("706000", "Prestations de services", credit=K(1_000), piece="F004"),
            Line("445710", "TVA collectée", credit=K(200), piece="F004"),
        ],
    ),
    (
        "VE",
        "9",
        "20231120",
        [
            Line("411000", "Clients", debit=K(6_000), aux="C002", aux_label="Client Bêta", piece="F002"),
            Line("706000", "Prestations de services", credit=K(5_000), piece="F002"),
            Line("445710", "TVA collectée", credit=K(1_000), piece="F002"),
        ],
    ),
    (
        "VE",
        "10",
        "20231210",
        [
            Line("411000", "Clients", debit=K(2_400), aux="C001", aux_label="Client Alpha", piece="F003"),
            Line("706000", "Prestations de services", credit=K(2_000), piece="F003"),
            Line("445710", "TVA collectée", credit=K(400), piece="F003"),
        ],
    ),
    (
        "BQ",
        "11",
        "20231215",
        [
            Line("512000", "Banque", debit=K(1_000), piece="F002"),
            Line("411000", "Clients", credit=K(1_000), aux="C002", aux_label="Client Bêta", piece="F002", piece_date="20231120"),
        ],
    ),
    (
        "OD",
        "12",
        "20231231",
        [Line("627000", "Services bancaires", debit=K(500)), Line("512100", "Banque Populaire (découvert)", credit=K(500))],
    ),
]

# Worked out by hand from BOOK (euros), as of 31/12/2023:
# result = 7 − 6 = (10 000 + 1 000 + 5 000 + 2 000) − (3 000 + 8 000 + 500) = 6 500
# equity = 101 + 106 + 119 + result = 100 000 + 20 000 − 30 000 + 6 500 = 96 500
# quasi-equity = 1675 + 455 = 50 000 + 25 000 = 75 000 (never in equity)
# cash (debit balances of 51, 53) = 512000 (165 000 − 300 + 12 000 − 8 000 + 1 000 = 169 700) + 530000 300 = 170 000
# net cash = 169 700 − 500 (512100 overdrawn) + 300 = 169 500
# receivables 411 = 12 000 − 12 000 + 1 200 + 6 000 + 2 400 − 1 000 = 8 600
# debts (credit balances of 16, 17, 40–46, 51) = 1675 50 000 + 455 25 000 + 401 3 600 + 44571 3 600 + 512100 500
#   (421 is nil, 44566 a debit balance) = 82 700
EXPECTED = {
    "NET_RESULT": 6_500,
    "EQUITY": 96_500,
    "QUASI_EQUITY": 75_000,
    "CASH": 170_000,
    "CASH_NET": 169_500,
    "TRADE_RECEIVABLES": 8_600,
    "DEBTS": 82_700,
    "SHARE_CAPITAL": 100_000,
    "RESERVES": 20_000,
    "RETAINED_EARNINGS": -30_000,
}
# turnover (70) by month end; a month without a line on 70 is not booked yet: no figure, never a 0 set against the plan
EXPECTED_TURNOVER = {
    "2023-03-31": 10_000,
    "2023-08-31": 1_000,
    "2023-11-30": 5_000,
    "2023-12-31": 2_000,
}
# gross margin (70, 60x): June has purchases and no sale
EXPECTED_GROSS_MARGIN = {**EXPECTED_TURNOVER, "2023-06-30": -3_000}
# open items: unlettered 411 lines netted per customer and piece, due 60 days after their piece date
EXPECTED_OPEN = {
    "F002": ("Client Bêta", "2023-11-20", "2024-01-19", 5_000),
    "F003": ("Client Alpha", "2023-12-10", "2024-02-08", 2_400),
    "F004": ("Client Gamma", "2023-08-01", "2023-09-30", 1_200),
}


def large_fec_lines(lines: int, *, year: int = 2025, seed: int = 42) -> Iterator[str]:
    """The header and `lines` FEC lines of a year of a cooperative's books: opening balances, then sales to
    30 000 customers (most paid and lettered), purchases, wages and bank fees, every entry balanced. Deterministic."""
    rng = random.Random(seed)
    yield HEADER
    yield f"AN|À-nouveaux|AN1|{year}0101|101000|Capital|||AN|{year}0101|À-nouveaux|0,00|500000,00|||{year}0105||"
    yield f"AN|À-nouveaux|AN1|{year}0101|512000|Banque|||AN|{year}0101|À-nouveaux|500000,00|0,00|||{year}0105||"
    written, number = 2, 0  # entry lines, the header aside
    start = dt.date(year, 1, 1)
    while written < lines:
        number += 1
        day = (start + dt.timedelta(days=min(364, number * 365 // max(1, lines // 3)))).strftime("%Y%m%d")
        kind = rng.random()
        if kind < 0.6:  # a sale: customer, income, VAT; paid and lettered two times out of three
            net = rng.randint(10_000, 2_000_000)
            vat = net // 5
            customer = rng.randint(1, 30_000)
            piece = f"F{number:08d}"
            paid = rng.random() < 0.66
            let = f"L{number}" if paid else ""
            rows = [
                f"VE|Ventes|{number}|{day}|411000|Clients|C{customer:05d}|Client {customer}|{piece}|{day}|"
                f"Facture {piece}|{amount(net + vat)}|0,00|{let}|{day if paid else ''}|{day}||",
                f"VE|Ventes|{number}|{day}|706000|Prestations de services|||{piece}|{day}|Facture {piece}|0,00|"
                f"{amount(net)}|||{day}||",
                f"VE|Ventes|{number}|{day}|445710|TVA collectée|||{piece}|{day}|Facture {piece}|0,00|{amount(vat)}|||{day}||",
            ]
            if paid:
                rows += [
                    f"BQ|Banque|{number}B|{day}|512000|Banque|||{piece}|{day}|Règlement {piece}|"
                    f"{amount(net + vat)}|0,00|||{day}||",
                    f"BQ|Banque|{number}B|{day}|411000|Clients|C{customer:05d}|Client {customer}|{piece}|{day}|"
                    f"Règlement {piece}|0,00|{amount(net + vat)}|{let}|{day}|{day}||",
                ]
        elif kind < 0.8:  # a purchase
            net = rng.randint(5_000, 500_000)
            account = rng.choice(("604000", "606100", "607000", "611000", "613200", "622600"))
            rows = [
                f"AC|Achats|{number}|{day}|{account}|Achats et charges externes|||A{number}|{day}|Achat|"
                f"{amount(net)}|0,00|||{day}||",
                f"AC|Achats|{number}|{day}|445660|TVA déductible|||A{number}|{day}|Achat|{amount(net // 5)}|0,00|||{day}||",
                f"AC|Achats|{number}|{day}|401000|Fournisseurs|S{number % 500:03d}|Fournisseur|A{number}|{day}|"
                f"Achat|0,00|{amount(net + net // 5)}|||{day}||",
            ]
        else:  # wages
            gross = rng.randint(150_000, 600_000)
            rows = [
                f"OD|Opérations diverses|{number}|{day}|641000|Rémunérations|||S{number}|{day}|Salaires|"
                f"{amount(gross)}|0,00|||{day}||",
                f"OD|Opérations diverses|{number}|{day}|421000|Personnel|||S{number}|{day}|Salaires|0,00|"
                f"{amount(gross)}|||{day}||",
            ]
        left = lines - written
        if left - len(rows) < 6:  # the last lines: bank fees, two-line entries, one of three lines if need be
            fee = f"OD|Opérations diverses|Z{number}|{day}|627000|Frais bancaires|||Z{number}|{day}|Frais|"
            bank = f"OD|Opérations diverses|Z{number}|{day}|512000|Banque|||Z{number}|{day}|Frais|0,00|"
            rows = [fee + f"{left - 1},00|0,00|||{day}||"] + [bank + f"1,00|||{day}||"] * (left - 1)
        yield from rows
        written += len(rows)
