"""Plan versions: the plan as adopted, its revisions, and how far the targets have moved."""

from smartdash import formatting, ui
from smartdash.inert import md, st
from smartdash.views import pick
from smartdash.views import versions as vv

ui.ensure_app_frame()

lang = ui.language()
ui.start_page()
st.title(pick(lang, "Versions du plan", "Plan versions"))
st.caption(pick(lang, "Les pages comparent le réel à la version choisie dans la barre latérale : par défaut, celle en "
                      "vigueur à la date de situation (une révision ne compte qu'à partir de son adoption). Un "
                      "chargement de valeurs de plan crée ou complète une version, sans toucher aux autres.",
                "Pages compare actuals with the version chosen in the sidebar: by default, the one in force on the "
                "as-of date (a revision counts only from its adoption). Loading plan values creates or fills a "
                "version and never touches the others."))
view = ui.versions()
if view.versions.empty:
    ui.empty_state(lang, "des versions du plan (format versions_plan)", "plan versions (plan_versions format)")
    st.stop()

status = {"draft": pick(lang, "brouillon", "draft"), "in_force": pick(lang, "en vigueur", "in force"),
          "superseded": pick(lang, "remplacée", "superseded")}
for row in view.versions.itertuples():
    with st.container(border=True):
        st.markdown(md("**{}** — {}", row.name, row.code))  # no code span: escapes are literal inside one
        adopted = formatting.date_long(row.adopted_on, lang=lang) if row.adopted_on else pick(lang, "date non précisée",
                                                                                              "date not given")
        st.caption(f"{status[row.status]} · {pick(lang, 'adoptée le', 'adopted on')} {adopted} · "
                   f"{row.adopted_by or '—'}" + (pick(lang, " · démo / synthétique", " · demo / synthetic")
                                                 if row.is_synthetic else ""))
        if row.note:
            st.text(row.note)

if not view.milestones.empty:
    st.subheader(pick(lang, "Jalons par version", "Milestones per version"))
    ui.table(vv.milestones_table(view, lang), pick(lang, "Jalons", "Milestones"))
if not view.targets.empty:
    st.subheader(pick(lang, "Cibles énoncées par le plan", "Targets the plan states"))
    st.caption(pick(lang, "Telles que chaque version les écrit ; jamais déduites de ses valeurs.",
                    "As each version words them; never inferred from its figures."))
    ui.table(vv.targets_table(view, ui.entity_names(), lang), pick(lang, "Cibles énoncées", "Stated targets"))
st.subheader(pick(lang, "Apports dont le montant ou la date a changé", "Contributions whose amount or date changed"))
if view.funding_drift.empty:
    st.info(pick(lang, "Aucun changement.", "No change."))
else:
    ui.table(vv.funding_drift_table(view, ui.entity_names(), lang), pick(lang, "Apports modifiés", "Changed contributions"))
st.subheader(pick(lang, "Cibles modifiées d'une version à l'autre", "Targets changed from one version to the next"))
if view.target_drift.empty:
    st.info(pick(lang, "Aucune cible n'a changé.", "No target changed."))
else:
    ui.table(vv.drift_table(view, lang), pick(lang, "Cibles modifiées", "Changed targets"))
ui.page_workbook("versions_du_plan")
