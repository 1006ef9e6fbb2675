"""Receivables: ageing at the as-of date, trend, DSO, overdue ratio, reminders, offices, largest overdue clients."""

from smartdash import charts, formatting
from smartdash.i18n import _, _p, bilingual
from smartdash.inert import st
from smartdash.present import chart_specs
from smartdash.present import receivables as rp
from smartdash.views import receivables as rv
from smartdash.web import downloads, filters, session, store, widgets

session.ensure_app_frame()

f = filters.chosen()
lang = f.lang
filters.page_header(_p(lang, "page title", "Receivables"), f)
available = store.reference()["receivable_entities"]
names = store.entity_names()
choices = [e for e in available if f.entity in (None, e)]
if not choices:
    widgets.empty_state(lang, _(lang, "open receivables (receivables format)"))
    st.stop()
entity = (
    st.selectbox(_(lang, "Entity"), choices, format_func=names.get, key="receivables_entity") if len(choices) > 1 else choices[0]
)
view = store.receivables(entity, f.as_of)
if view.as_of is None:
    widgets.empty_state(lang, _(lang, "open receivables at that date"))
    st.stop()
widgets.synthetic_notice(view.is_synthetic, lang)

c1, c2 = st.columns(2)
c3, c4 = st.columns(2)
widgets.metric(
    _(lang, "Open"),
    formatting.money_compact(view.total, lang=lang),
    view.origin,
    where=c1,
    help=formatting.money(view.total, lang=lang, places=2),
    border=True,
)
widgets.metric(
    _(lang, "of which past due"),
    formatting.money_compact(view.overdue, lang=lang),
    view.origin,
    where=c2,
    help=formatting.money(view.overdue, lang=lang, places=2),
    border=True,
    delta_description=_(
        lang,
        "overdue ratio: {ratio}",
        ratio=formatting.percent(view.overdue_ratio * 100, lang=lang) if view.overdue_ratio is not None else "—",
    ),
)
widgets.metric(
    _(lang, "Over 90 days past due"),
    formatting.money_compact(view.over_90, lang=lang),
    view.origin,
    where=c3,
    border=True,
    help=formatting.money(view.over_90, lang=lang, places=2),
    delta_description=rp.over_90_share(view, lang),
)
rule = view.rule
widgets.metric(
    "DSO",
    formatting.value(view.dso_days, "days", lang=lang) if view.dso_days is not None else "—",
    view.dso_origin,
    where=c4,
    border=True,
    delta=rp.dso_delta(view, f.compare, lang),
    delta_color="inverse",  # fewer days is better
    delta_description=rp.dso_tile_note(view, f.compare, lang),
    help=rp.dso_changes(view, lang)
    + "\n\n"
    + _(lang, "Receivables ÷ sales incl. VAT over the last 12 months × days in the period")
    + (
        f" ({formatting.date_short(view.dso_period[0])} – {formatting.date_short(view.dso_period[1])})."
        if view.dso_period
        else "."
    ),
)
st.caption(
    _(
        lang,
        "{name} · snapshot of {day} · legal reference: {rule}",
        name=names[entity],
        day=formatting.date_long(view.as_of, lang=lang),
        rule=bilingual(lang, rule.short_fr, rule.short_en),
    )
)
if (credits := rp.credits_note(view, lang)) is not None:
    st.caption(credits)
if not view.references.empty:
    st.header(_(lang, "Figures published for {year}", year=view.as_of.year))
    widgets.table(rp.references_table(view, lang), _(lang, "Published figures"), static=True)

order = list(rp.bucket_labels(lang).values())
left, right = st.columns(2)
with left:
    widgets.spec_plot(chart_specs.AGEING, view, lang)
with right:
    widgets.plot(
        charts.stacked_area,
        rp.labelled(view.trend, lang),
        x="as_of",
        colour="label",
        unit="EUR",
        lang=lang,
        order=order,
        title=_(lang, "Open amount over time (€)"),
    )
if not view.dso_trend.empty:
    widgets.spec_plot(chart_specs.DSO, view, lang)
    st.caption(
        _(
            lang,
            "{rule} DSO = receivables ÷ sales incl. VAT over the previous 12 months × days in the period.",
            rule=bilingual(lang, rule.text_fr, rule.text_en),
        )
    )
if not view.by_office.empty:
    widgets.plot(
        charts.stacked_bars,
        rp.labelled(view.by_office, lang),
        category="office_name",
        colour="label",
        unit="EUR",
        lang=lang,
        order=order,
        title=_(lang, "Open amount per office and age (€)"),
    )
if not view.reminders.empty:
    widgets.plot(
        charts.bars_with_target,
        view.reminders,
        x="year",
        unit="count",
        lang=lang,
        title=_(lang, "Unpaid-invoice reminders sent (number)"),
    )

st.header(_(lang, "Largest overdue clients"))
if session.current_user().can("see_clients"):
    widgets.table(
        rp.clients_table(store.largest_overdue_clients(session.current_user(), entity, view.as_of), view.as_of, lang),
        _(lang, "Largest overdue clients"),
        static=True,  # the ten largest
    )
else:
    st.info(_(lang, "Client names are for directors and administrators only."), icon=":material/lock:")
widgets.sources_expander(rv.page_sources(view), lang, synthetic=view.is_synthetic)
downloads.page_workbook("creances")
