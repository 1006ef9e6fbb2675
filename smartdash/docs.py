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
        "classeur `.xlsx` (première feuille). Les en-têtes anglais indiqués sont acceptés aussi.",
        "",
        "Le type est reconnu d'après les en-têtes, ou donné par `python -m smartdash import --kind TYPE`.",
        "Un fichier est chargé en une transaction : s'il contient un seul problème, rien n'est écrit et chaque",
        "problème est signalé avec sa ligne, sa colonne, la valeur lue et ce qui était attendu. Recharger le même",
        "fichier ne change rien ; une valeur corrigée remplace l'ancienne, qui reste dans l'historique.",
        "",
        "Les pourcentages sont en points (`12,4` ou `12,4 %` pour 12,4 %). Les montants ont au plus deux",
        "décimales. Ordre de chargement d'un jeu complet : " + ", ".join(f"`{k}`" for k in formats.LOAD_ORDER) + ".",
        "",
    ]
    for kind in formats.LOAD_ORDER:
        ds = formats.DATASETS[kind]
        out += [
            f"## {ds.title_fr} — `{kind}`",
            "",
            *([ds.description_fr, ""] if ds.description_fr else []),
            f"Fichier de démonstration : `data/demo/{ds.file_stem}.csv`. Clé (une ligne par valeur de) : "
            + ", ".join(f"`{k}`" for k in ds.key)
            + ".",
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
            out.append(
                f"| `{c.name}` | {aliases} | {KIND_FR[c.kind]} | {'oui' if c.required else 'non'} | "
                f"{' ; '.join(notes)} |"
            )
        out.append("")
    return "\n".join(out)
