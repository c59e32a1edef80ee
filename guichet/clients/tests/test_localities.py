"""« Ville »: real Québec localities only, French names and order, homonyms told apart, typed
and matched without caring for case or accents (issue 13 #2, #9)."""

from __future__ import annotations

import csv

import pytest
from django import forms

from guichet.clients.fields import LocalityField, resolve
from guichet.clients.models import Locality, collation_key
from guichet.clients.reference import DATA, fusions, quebec_localities

pytestmark = pytest.mark.django_db


def test_the_list_holds_localities_not_census_tracts_nor_boroughs() -> None:
    names = set(Locality.objects.values_list("name", flat=True))
    assert not any(name.startswith("Ct ") for name in names)
    assert not {"Ahuntsic-Cartierville", "Chomedey", "Hull", "Sainte-Foy", "Verdun"} & names
    # The Montréal neighbourhood is gone; the municipality of Chaudière-Appalaches stays.
    assert Locality.objects.filter(name="Saint-Henri").count() == 1
    assert {"Montréal", "Québec", "Laval", "Gatineau", "Saguenay", "Lévis"} <= names


def test_french_names_with_their_accents() -> None:
    names = set(Locality.objects.values_list("name", flat=True))
    assert {"Percé", "Grande-Rivière", "Trois-Pistoles", "Belœil", "Sept-Îles"} <= names
    assert not {"Perce", "Grande-Riviere", "Trois Pistoles", "Beloeil"} & names


def test_homonyms_carry_their_region_and_no_name_is_listed_twice() -> None:
    labels = [str(loc) for loc in Locality.objects.all()]
    assert len(labels) == len(set(labels))
    assert "Saint-Isidore (Montérégie)" in labels
    assert "Saint-Isidore (Chaudière-Appalaches)" in labels
    for name in Locality.objects.filter(region="").values_list("name", flat=True):
        assert Locality.objects.filter(name=name).count() == 1, name


def test_french_order_puts_accented_names_among_the_others() -> None:
    labels = [loc.name for loc in Locality.objects.all()]
    assert labels.index("Bécancour") < labels.index("Bedford") < labels.index("Belœil")
    assert labels.index("L'Épiphanie") < labels.index("L'Île-Perrot")
    assert labels.index("Lévis") < labels.index("Longueuil")
    assert labels.index("Saint-Zotique") < labels.index("Sainte-Adèle")
    assert collation_key("Œuvre") == collation_key("oeuvre")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("perce", "Percé"),
        ("  MONTREAL ", "Montréal"),
        ("levis", "Lévis"),
        ("Saint-Isidore (monteregie)", "Saint-Isidore (Montérégie)"),
        ("beloeil", "Belœil"),
    ],
)
def test_typing_finds_the_locality_whatever_the_case_and_accents(typed: str, expected: str) -> None:
    found = resolve(typed)
    assert [str(loc) for loc in found] == [expected]


class CityForm(forms.Form):
    city = LocalityField(label="Ville")


def test_a_homonym_without_its_region_asks_which_one() -> None:
    form = CityForm(data={"city": "saint-isidore"})
    assert not form.is_valid()
    message = form.errors["city"][0]
    assert "Précisez la région" in message
    assert "Saint-Isidore (Chaudière-Appalaches)" in message
    assert "Saint-Isidore (Montérégie)" in message


def test_an_unknown_name_is_refused_and_kept_as_typed() -> None:
    form = CityForm(data={"city": "Montréalville"})
    assert not form.is_valid()
    assert "Montréalville" in form.errors["city"][0]
    assert 'value="Montréalville"' in str(form["city"])


def test_the_field_offers_the_whole_list_as_a_native_datalist() -> None:
    html = str(CityForm(initial={"city": Locality.objects.get(name="Percé")})["city"])
    assert 'list="id_city-localites"' in html and '<datalist id="id_city-localites">' in html
    assert 'value="Percé"' in html
    assert html.count("<option>") == Locality.objects.count()


def test_the_data_files_agree() -> None:
    kept = {row["geonameid"] for row in quebec_localities()}
    moved = fusions()
    assert not kept & set(moved), "a locality both kept and folded"
    assert set(moved.values()) <= kept, "folded into a locality that is not kept"
    with open(DATA / "localites.csv", encoding="utf-8") as source:
        assert len(list(csv.DictReader(source))) == len(kept) == Locality.objects.count()
