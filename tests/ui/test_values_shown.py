"""Values in the facts table and on the timeline: units, separators and signs."""

from __future__ import annotations

from desktop.core.records import NewDocument
from desktop.ui.models import facts as columns
from desktop.ui.panels.facts_panel import FactsPanel

TEXT = "Trade grew by 16.4% in 2024, and donors pledged 42 billion USD to the port."


def test_facts_table_shows_units_and_thousands_separators(qtbot, store):
    ((doc, _),) = store.documents.add_many([NewDocument(source="figures", text=TEXT)])
    store.facts.create(
        doc,
        "STATISTIC",
        (0, len(TEXT)),
        [("measure", 0, 5, "Trade"), ("change", 14, 19, "16.4%"), ("period", 23, 27, "2024")],
    )
    store.facts.create(doc, "FUNDING", (0, len(TEXT)), [("amount", 48, 63, "42 billion USD")])
    stat, funding = store.facts.query(document_ids=[doc])
    values = {"change": "+16.4", "period": "2024"}
    for argument in stat.arguments:
        if argument.role in values:
            store.facts.set_argument_value(argument.id, values[argument.role])
    store.facts.set_argument_value(funding.arguments[0].id, "42000000000 USD")
    panel = FactsPanel()
    qtbot.addWidget(panel)
    panel.set_store(store)
    panel.show_document(doc)
    shown = [panel.model.index(r, columns.ARGUMENTS).data() for r in range(panel.model.rowCount())]
    assert "change: +16.4 %" in shown[0] and "period: 2024" in shown[0]
    assert shown[1] == "amount: 42,000,000,000 USD"
