"""Documentation generated from the code, so that it cannot drift from it (docs/formats.md)."""

from __future__ import annotations

from smartdash import formats

KIND_FR = {
    "text": "texte",
    "int": "entier",
    "decimal": "nombre",
    "money": "montant €",
    "date": "date",
    "bool": "oui/non",
    "choice": "liste",
}


def _limits() -> list[str]:
    """What a file may hold, and how a file is read: the same constants as the checks."""
    from smartdash import workbooks

    n = formats.thousands
    return [
        "## Lecture des fichiers et limites",
        "",
        "- **Encodage d'un CSV.** UTF-8 (avec ou sans BOM) ; sinon Windows-1252 — ce qu'écrit Excel en français",
        "  (« CSV (séparateur : point-virgule) »), avec tous ses caractères (`salarié·es`, `½ × ± ‰ £ ® ÷`…) —",
        "  quand charset-normalizer juge le fichier plausible en Windows-1252 et que le texte ne montre pas un autre",
        "  encodage lu en Windows-1252 : signe collé à une lettre accentuée (`—é`, Shift-JIS), suite d'UTF-8",
        "  (`Ã©`), trois lettres accentuées de suite ou un mot de deux (`Ïðèâåò`, cyrillique ou grec). Un autre",
        "  encodage (Shift-JIS, cyrillique, UTF-16…) serait enregistré illisible : il est refusé, avec la ligne et",
        "  la colonne du premier caractère qui le trahit. Enregistrez le fichier en « CSV UTF-8 ».",
        "- **Forme d'un CSV.** Chaque ligne a autant de cellules que l'en-tête : une ligne plus courte (fichier",
        "  tronqué) ou une valeur sous aucun en-tête (séparateur dans une valeur sans guillemets) est refusée, comme",
        "  un guillemet jamais fermé ou suivi d'autre chose qu'un séparateur. Un caractère de contrôle (octet nul…)",
        "  est refusé.",
        "- **Classeur `.xlsx`.** La feuille lue est la feuille visible nommée comme les données (son code, son nom",
        "  de fichier ou son titre : `creances`, `receivables`…), sinon la première feuille visible ; une feuille",
        "  masquée n'est jamais lue, et l'aperçu comme le résultat disent quelle feuille a été lue. Le classeur est",
        "  lu par python-calamine. Avant toute lecture, l'archive est vérifiée : au plus "
        f"{n(workbooks.UNPACKED_BYTES_PER_ROW // 1024)} Kio une fois décompressée par ligne permise (au moins "
        f"{n(workbooks.UNPACKED_MIN_BYTES >> 20)} Mo),",
        f"  ni une partie ni le tout décompressés plus de {workbooks.MAX_RATIO} fois (« bombe zip »), au plus "
        f"{n(workbooks.MAX_PARTS)} parties,",
        f"  au plus {n(workbooks.OTHER_SHEETS_ROWS)} lignes dans les autres feuilles, et aucune cellule d'une feuille au-delà",
        f"  de ses lignes permises ni de {n(workbooks.CELLS_PER_ROW)} colonnes en moyenne par ligne (de A1 à sa "
        "dernière cellule) ;",
        "  la lecture s'arrête à la limite. Les formats `.xls` (Excel 97-2003) et `.ods` ne sont pas lus :",
        "  enregistrez-les en `.xlsx` ou en CSV.",
        "- **Limites.** Un fichier de plus de `[import] max_file_mb` Mo ou de plus de `[import] max_rows` lignes",
        "  (`config.toml`) est refusé. Une cellule de texte a au plus "
        f"{n(formats.MAX_CELL_CHARS)} caractères (la limite d'Excel),",
        f"  une ligne au plus {n(formats.MAX_COLUMNS)} colonnes. Un montant reste sous "
        f"{n(formats.NUMBER_LIMITS['money'])} € en valeur absolue, un",
        f"  nombre décimal sous {n(formats.NUMBER_LIMITS['decimal'])}, un entier sous "
        f"{n(formats.NUMBER_LIMITS['int'])} : la base garde les montants",
        "  en centimes sur 64 bits, et le total d'une situation de créances doit y tenir. Une cellule NaN ou",
        "  infinie est refusée.",
        "- **Dates à venir.** Un chiffre réel (scénario réel, situation de créances, sociétariat, versement reçu,",
        "  échéance payée, écriture d'un FEC et date de clôture de son nom) daté après la date du jour plus "
        f"{formats.FUTURE_TOLERANCE_DAYS} jours",
        "  est refusé ; un plan ou une prévision peut être daté plus tard.",
        "- **Formules.** Une cellule de texte commençant par `=`, `+`, `-`, `@`, une tabulation ou un retour chariot",
        "  est écrite précédée d'une apostrophe dans tout fichier produit (exports, téléchargements CSV et XLSX,",
        "  données des graphiques du dossier du comité) : un tableur la montre comme du texte au lieu de l'exécuter.",
        "  Le chargement retire cette apostrophe : un export se recharge sans rien changer.",
        "- **Retrait important.** Un fichier de créances (comme les créances non lettrées d'un FEC) est la situation",
        "  complète à sa date : s'il retirerait plus d'un cinquième des créances d'une situation déjà enregistrée (un",
        "  export coupé ?), le chargement demande une confirmation : `python -m smartdash import FICHIER",
        "  --allow-large-removal`, ou la case « Je confirme le retrait » sur la page Chargement des données.",
        "",
    ]


def formats_markdown() -> str:
    """docs/formats.md: every dataset's columns, types, accepted values and natural key."""
    out = [
        "# Formats des fichiers importés",
        "",
        "<!-- Généré par `python -m smartdash formats > docs/formats.md` ; un test vérifie qu'il est à jour. -->",
        "",
        "Un fichier par type de données, une ligne par enregistrement, la première ligne donnant les en-têtes.",
        "Les fichiers viennent de tableurs en français : séparateur `;` (`,` et tabulation acceptés), virgule",
        "décimale, milliers séparés par des espaces ou espaces insécables, `€` et `%` acceptés dans les cellules,",
        "dates `jj/mm/aaaa` (ISO `aaaa-mm-jj` accepté), encodage UTF-8 avec ou sans BOM ou Windows-1252, ou",
        "classeur `.xlsx` (sa première feuille visible, voir plus bas). Les en-têtes anglais indiqués sont",
        "acceptés aussi.",
        "",
        "Le type est reconnu d'après les en-têtes, ou donné par `python -m smartdash import --kind TYPE`.",
        "Un fichier est chargé en une transaction : s'il contient un seul problème, rien n'est écrit et chaque",
        "problème est signalé avec sa ligne, sa colonne, la valeur lue et ce qui était attendu. Recharger le même",
        "fichier ne change rien ; une valeur corrigée remplace l'ancienne, qui reste dans l'historique.",
        "",
        "Les pourcentages sont en points (`12,4` ou `12,4 %` pour 12,4 %). Les montants ont au plus deux",
        "décimales. Ordre de chargement d'un jeu complet : " + ", ".join(f"`{k}`" for k in formats.LOAD_ORDER) + ".",
        "",
        *_limits(),
    ]
    for kind in formats.LOAD_ORDER:
        ds = formats.DATASETS[kind]
        out += [
            f"## {ds.title_fr} — `{kind}`",
            "",
            *([ds.description_fr, ""] if ds.description_fr else []),
            f"Fichier du jeu de démonstration : `{ds.file_stem}.csv` (`python -m smartdash demo-data`). "
            "Clé (une ligne par valeur de) : " + ", ".join(f"`{k}`" for k in ds.key) + ".",
            "",
            "| colonne | anglais | type | obligatoire | valeurs, remarques |",
            "| --- | --- | --- | --- | --- |",
        ]
        for c in ds.columns:
            notes = []
            if c.kind == "choice":
                notes.append(" / ".join(f"`{w}`" for w in c.choice_words()))
            if c.help_fr:
                notes.append(c.help_fr)
            if c.minimum is not None:
                notes.append(f"≥ {c.minimum}")
            aliases = ", ".join(f"`{a}`" for a in c.aliases)
            out.append(f"| `{c.name}` | {aliases} | {KIND_FR[c.kind]} | {'oui' if c.required else 'non'} | {' ; '.join(notes)} |")
        out.append("")
    out += fec_markdown()
    return "\n".join(out)


def fec_markdown() -> list[str]:
    """The ledger export's section of docs/formats.md: what is checked, what is derived, the account mapping."""
    from smartdash import fec, fec_mapping

    return [
        "## Écritures comptables (FEC) — `{SIREN}FEC{AAAAMMJJ}.txt`",
        "",
        "Le *fichier des écritures comptables* que tout logiciel comptable français exporte (article A47 A-1 du",
        "livre des procédures fiscales) est reconnu à sa première ligne, sur la page **Chargement des données**",
        "comme par `python -m smartdash import 123456789FEC20231231.txt`. Colonnes, dans cet ordre :",
        "",
        ", ".join(f"`{c}`" for c in fec.HEADER) + ".",
        "",
        "Variante acceptée : `Montant` et `Sens` (`D` / `C`) à la place de `Debit` et `Credit`. Séparateur",
        "tabulation ou `|` ; dates `AAAAMMJJ` ; montants à virgule décimale sans séparateur de milliers",
        "(`1234,56`) ; encodage UTF-8 ou ISO-8859-1. Le fichier est lu ligne à ligne et agrégé au fil de la",
        "lecture : il n'est jamais tenu en mémoire ni stocké ligne à ligne (limite : `fec_max_file_mb` de",
        "`[import]` dans `config.toml`, 1 024 Mo par défaut ; la page de chargement accepte 50 Mo, au-delà",
        "passez par la ligne de commande).",
        "",
        "**L'entité** est celle dont le SIREN (colonne `siren` du fichier des entités) est dans le nom du",
        "fichier, ou celle choisie (`--entity CODE`, ou la liste de la page). Les entités de démonstration",
        "n'ont pas de SIREN : un numéro inventé pourrait être celui d'une vraie entreprise. **La date de",
        "situation** est la date de clôture du nom de fichier, sinon la dernière date d'écriture.",
        "",
        "**Contrôles** (ceux de l'outil de test de l'administration fiscale), chacun signalé avec sa ligne et",
        "sa colonne, rien n'étant écrit : les 18 colonnes dans l'ordre ; 18 champs par ligne ; champs",
        "obligatoires remplis (tous sauf `CompAuxNum`, `CompAuxLib`, `EcritureLet`, `DateLet`, `Montantdevise`,",
        "`Idevise`) ; montants bien formés ; dates valides ; `EcritureDate` dans l'exercice (au plus tard la",
        f"date de situation, au plus tôt {fec.LONGEST_YEAR_MONTHS} mois avant) ; chaque écriture (`JournalCode`,",
        "`EcritureNum`) équilibrée, débits = crédits. Au-delà de " + str(fec.MAX_PROBLEMS) + " problèmes, seuls",
        "les premiers sont listés.",
        "",
        "**Ce qui est chargé**, en un seul chargement (historique : fichier, SHA-256, qui, quand ; annulable",
        "d'un bloc par `python -m smartdash undo N`), chaque ligne ayant le fichier pour source :",
        "",
        "- la balance des comptes à la date de situation (débits, crédits et solde de chaque `CompteNum`) ;",
        "  un FEC plus récent de la même entité et de la même date la remplace entière ;",
        "- les indicateurs de la correspondance des comptes ci-dessous, en valeurs réelles : soldes à la date",
        "  de situation, ou mouvements de chaque mois civil terminé à cette date (chiffre d'affaires, marge",
        "  brute). Un indicateur dont aucun compte n'apparaît dans le FEC n'est pas dérivé ;",
        "- les créances clients ouvertes : les lignes **non lettrées** (`EcritureLet` vide) des comptes de",
        "  `TRADE_RECEIVABLES`, nettes par client (`CompAuxNum`, sinon le compte) et pièce (`PieceRef`), datées",
        "  de la pièce et échues `payment_term_days` jours après (`[receivables]` de `config.toml`, 60 par",
        "  défaut ; un délai par entité dans `[receivables.payment_terms]`). Un règlement non lettré reste une",
        "  créance négative. Elles remplacent la situation des créances de l'entité à cette date.",
        "",
        "Capitaux propres = classes 10 à 14 + résultat de l'exercice en cours (classes 7 − 6) : tant que",
        "l'exercice n'est pas clos, le résultat n'est pas encore en 12 ; une fois les écritures de clôture",
        "passées, les classes 6 et 7 sont soldées et rien n'est compté deux fois. Les quasi-fonds propres",
        "(1671 titres participatifs, 1675 prêts participatifs, 455 comptes courants d'associés) sont montrés",
        "à part et jamais additionnés aux capitaux propres : une correspondance qui compterait un compte dans",
        "les deux est refusée. Dans `DEBTS`, les prêts participatifs et comptes courants d'associés restent",
        "des dettes, comme dans les comptes.",
        "",
        "**Rapprochement** : quand un autre fichier a donné le même indicateur pour la même entité et la même",
        "date, la page **Chargement des données** montre les deux valeurs, leur écart et leurs deux sources",
        "(le dernier chargement fait foi sur les autres pages ; l'autre valeur reste dans l'historique).",
        "",
        "### Correspondance des comptes",
        "",
        "Gardée dans la base, modifiable par un administrateur (page **Catalogue des indicateurs**, ou",
        "`python -m smartdash fec-mapping list|set|remove|reset`). Une règle associe un indicateur (en euros)",
        "et un préfixe de comptes ; un compte compte sous le plus long préfixe de l'indicateur qui le couvre.",
        "*Solde net* : les soldes des comptes s'additionnent ; *ce sens seulement* : un compte ne",
        "compte que si son propre solde est de ce sens (une banque à découvert est une dette, pas de la",
        "trésorerie) ; *exclu* : les comptes du préfixe ne comptent pas. Le sens positif dit comment le solde",
        "se lit (crédit : crédit − débit). Défaut, d'après le plan comptable général :",
        "",
        fec_mapping.markdown(),
        "",
    ]
