"""Plan versions: the plan as adopted, its revisions, and how far the targets have moved."""

from smartdash import formatting
from smartdash.i18n import _
from smartdash.inert import md, st
from smartdash.metrics.versions import status_on
from smartdash.present import versions as vp
from smartdash.web import downloads, filters, session, store, widgets

session.ensure_app_frame()

lang = session.language()
downloads.start_page()
st.title(_(lang, "Plan versions"))
st.caption(
    _(
        lang,
        "Pages compare actuals with the version chosen in the sidebar: by default, the one in force on the "
        "as-of date (a revision counts only from its adoption). Loading plan values creates or fills a "
        "version and never touches the others.",
    )
)
as_of = filters.chosen().as_of
view = store.versions(as_of, filters.chosen_version())  # as known at the as-of date, and the one chosen
if view.versions.empty:
    widgets.empty_state(lang, _(lang, "plan versions (plan_versions format)"))
    st.stop()
if len(view.versions) < len(store.reference()["versions"]):
    st.info(
        _(
            lang,
            "Versions adopted after {as_of} are not listed: choose a later as-of date to see them, or choose one in the sidebar.",
            as_of=formatting.date_long(as_of, lang=lang),
        )
    )

status = {
    "draft": _(lang, "draft"),
    "in_force": _(lang, "in force"),
    "superseded": _(lang, "superseded"),
    "later": _(lang, "adopted after this date"),
}
for row in view.versions.itertuples():
    with st.container(border=True):
        st.markdown(md("**{}** — {}", row.name, row.code))  # no code span: escapes are literal inside one
        adopted = formatting.date_long(row.adopted_on, lang=lang) if row.adopted_on else _(lang, "date not given")
        st.caption(
            _(
                lang,
                "{status} · adopted on {adopted} · {adopted_by}",
                status=status[status_on(view.versions, row.code, as_of)],  # as it stood at the as-of date
                adopted=adopted,
                adopted_by=row.adopted_by or "—",
            )
            + (" · " + _(lang, "demo / synthetic") if row.is_synthetic else "")
        )
        if row.note:
            st.text(row.note)

if not view.milestones.empty:
    st.header(_(lang, "Milestones per version"))
    widgets.table(vp.milestones_table(view, lang), _(lang, "Milestones"))
if not view.targets.empty:
    st.header(_(lang, "Targets the plan states"))
    st.caption(_(lang, "As each version words them; never inferred from its figures."))
    widgets.table(vp.targets_table(view, store.entity_names(), lang), _(lang, "Stated targets"))
st.header(_(lang, "Contributions whose amount or date changed"))
if view.funding_drift.empty:
    st.info(_(lang, "No change."))
else:
    widgets.table(vp.funding_drift_table(view, store.entity_names(), lang), _(lang, "Changed contributions"))
st.header(_(lang, "Targets changed from one version to the next"))
if view.target_drift.empty:
    st.info(_(lang, "No target changed."))
else:
    widgets.table(vp.drift_table(view, lang), _(lang, "Changed targets"))
downloads.page_workbook("versions_du_plan")
